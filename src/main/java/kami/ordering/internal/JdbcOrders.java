package kami.ordering.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiPredicate;
import kami.catalog.Catalog;
import kami.catalog.Product;
import kami.inventory.KeyVault;
import kami.ordering.OrderDelivered;
import kami.ordering.OrderStatus;
import kami.ordering.OrderView;
import kami.ordering.Orders;
import kami.ordering.PlaceOrder;
import kami.ordering.PlacedOrder;
import kami.ordering.internal.OrderRequestRules.ValidOrder;
import kami.payment.NewPayment;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentView;
import kami.payment.Payments;
import kami.platform.ApiException;
import kami.platform.Ids;
import kami.platform.Money;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

@Service
class JdbcOrders implements Orders {

    /** How often a waiting lookup re-reads the order when no signal came (changes made on other instances). */
    static final Duration RECHECK_INTERVAL = Duration.ofMillis(250);

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Catalog catalog;
    private final KeyVault vault;
    private final Payments payments;
    private final LookupTokens tokens;
    private final OrderProperties properties;
    private final OrderChangeSignals signals;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    JdbcOrders(JdbcClient jdbc, TransactionTemplate transaction, Catalog catalog, KeyVault vault, Payments payments,
            LookupTokens tokens, OrderProperties properties, OrderChangeSignals signals,
            ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.catalog = catalog;
        this.vault = vault;
        this.payments = payments;
        this.tokens = tokens;
        this.properties = properties;
        this.signals = signals;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public PlacedOrder place(PlaceOrder request, String idempotencyKey) {
        ValidOrder order = OrderRequestRules.validate(request, idempotencyKey);
        // A new key is the common case, so the key is not looked up first (a round trip per order). A repeated
        // request is recognised by the key's unique index when its order row is inserted, and everything it did
        // rolls back; one refused before that (sold out, product or channel gone since the first answer) looks
        // the key up then. Either way a repeated request gets the first answer again.
        try {
            Product product = catalog.require(order.productId());
            payments.requireChannel(order.channel(), order.method(), order.bank());
            return transaction.execute(status -> placeNew(order, product, idempotencyKey));
        } catch (DuplicateKeyException sameKeyEarlierOrAtTheSameTime) {
            return replay(findByIdempotencyKey(idempotencyKey).orElseThrow(), order);
        } catch (ApiException refused) {
            Optional<OrderRow> earlier = findByIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), order);
            }
            throw refused;
        }
    }

    private PlacedOrder placeNew(ValidOrder order, Product product, String idempotencyKey) {
        // Millisecond precision: what the database stores must equal what the first answer showed.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String orderNo = Ids.next('K', now);
        Money amount = product.price().times(order.quantity());
        Instant expiresAt = now.plus(properties.paymentTimeout());
        if (!vault.reserve(product.id(), order.quantity(), orderNo)) {
            throw new ApiException(HttpStatus.CONFLICT, "OUT_OF_STOCK", "Not enough keys in stock for "
                    + order.quantity() + " of product " + product.id());
        }
        String token = tokens.tokenFor(orderNo);
        PaymentView payment = payments.create(new NewPayment(orderNo, amount, order.channel(), order.method(),
                order.bank(), "/orders/" + orderNo + "?token=" + token, expiresAt, PaymentPurpose.ORDER,
                product.merchantId()));
        jdbc.sql("""
                insert into customer_order (order_no, product_id, quantity, amount_minor, currency, email, channel,
                    payment_no, status, idempotency_key, request_hash, created_at, expires_at)
                values (:no, :product, :quantity, :amount, :currency, :email, :channel,
                    :payment, 'PENDING_PAYMENT', :key, :hash, :now, :expires)""")
                .param("no", orderNo).param("product", product.id()).param("quantity", order.quantity())
                .param("amount", amount.amountMinor()).param("currency", amount.currencyCode())
                .param("email", order.email()).param("channel", order.channel())
                .param("payment", payment.paymentNo()).param("key", idempotencyKey).param("hash", order.hash())
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(expiresAt)).update();
        return new PlacedOrder(orderNo, OrderStatus.PENDING_PAYMENT, amount.amountMinor(), amount.currencyCode(),
                expiresAt, token, payment, false);
    }

    private PlacedOrder replay(OrderRow earlier, ValidOrder order) {
        if (!earlier.requestHash().equals(order.hash())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was used for a different order request");
        }
        PaymentView payment = payments.findByOrder(earlier.orderNo()).orElseThrow();
        return new PlacedOrder(earlier.orderNo(), OrderStatus.PENDING_PAYMENT, earlier.amountMinor(),
                earlier.currency(), earlier.expiresAt(), tokens.tokenFor(earlier.orderNo()), payment, true);
    }

    @Override
    public Optional<OrderView> lookup(String orderNo, String lookupToken) {
        if (lookupToken == null || lookupToken.isBlank() || !tokens.matches(orderNo, lookupToken)) {
            return Optional.empty();
        }
        return find(orderNo).map(row -> new OrderView(row.orderNo(), row.status(), row.productId(), row.quantity(),
                row.amountMinor(), row.currency(), row.createdAt(), row.expiresAt(), row.paidAt(),
                row.deliveredAt(), row.status() == OrderStatus.DELIVERED ? vault.soldKeys(row.orderNo()) : null));
    }

    @Override
    public Optional<OrderView> lookupAfterChange(String orderNo, String lookupToken, Duration waitMax) {
        return waitFor(orderNo, lookupToken, waitMax, (initial, status) -> status != initial);
    }

    @Override
    public Optional<OrderView> lookupWhenReached(String orderNo, String lookupToken, OrderStatus until,
            Duration waitMax) {
        return waitFor(orderNo, lookupToken, waitMax, (initial, status) -> status == until);
    }

    /** Reads the order until it is final, {@code answerNow} says so, or the wait is over. */
    private Optional<OrderView> waitFor(String orderNo, String lookupToken, Duration waitMax,
            BiPredicate<OrderStatus, OrderStatus> answerNow) {
        if (!waitMax.isPositive()) {
            return lookup(orderNo, lookupToken);
        }
        long deadline = System.nanoTime() + waitMax.toNanos();
        OrderStatus initial = null;
        while (true) {
            // Register before reading, so a change committed between the read and the wait is not missed.
            OrderChangeSignals.Watch watch = signals.watch(orderNo);
            Optional<OrderView> read = lookup(orderNo, lookupToken);
            OrderStatus status = read.map(OrderView::status).orElse(null);
            if (initial == null) {
                initial = status;
            }
            long remaining = deadline - System.nanoTime();
            if (status == null || status.isTerminal() || answerNow.test(initial, status) || remaining <= 0) {
                signals.forget(watch);
                return read;
            }
            OrderStatus seenFirst = initial;
            // Another read is only worth it for a status that would end the wait.
            watch.wakeOn(next -> next.isTerminal() || answerNow.test(seenFirst, next));
            try {
                watch.signal().get(Math.min(remaining, RECHECK_INTERVAL.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException recheck) {
                // Changes made by another instance send no signal here; the next read sees them.
                signals.forget(watch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                signals.forget(watch);
                return read;
            } catch (ExecutionException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    @Override
    @Transactional(propagation = Propagation.MANDATORY)
    public OptionalInt markDelivered(String orderNo) {
        OrderStatus.PAID.requireTransitionTo(OrderStatus.DELIVERED);
        Instant now = clock.instant();
        Optional<OrderDelivered> delivered = jdbc.sql("""
                update customer_order set status = 'DELIVERED', delivered_at = :now
                where order_no = :no and status = 'PAID'
                returning product_id, quantity""")
                .param("now", Timestamp.from(now)).param("no", orderNo)
                .query((rs, row) -> new OrderDelivered(orderNo, rs.getLong("product_id"), rs.getInt("quantity"), now))
                .optional();
        if (delivered.isEmpty()) {
            return OptionalInt.empty();
        }
        signals.changed(List.of(orderNo), OrderStatus.DELIVERED);
        events.publishEvent(delivered.get());
        return OptionalInt.of(delivered.get().quantity());
    }

    @Override
    public List<String> paidAndUndeliveredSince(Instant paidBefore, int limit) {
        return jdbc.sql("""
                select order_no from customer_order where status = 'PAID' and paid_at < :before
                order by paid_at limit :limit""")
                .param("before", Timestamp.from(paidBefore)).param("limit", limit).query(String.class).list();
    }

    @Override
    public OptionalLong productOf(String orderNo) {
        return jdbc.sql("select product_id from customer_order where order_no = :no").param("no", orderNo)
                .query(Long.class).optional().map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    Optional<OrderRow> find(String orderNo) {
        return jdbc.sql("select * from customer_order where order_no = :no").param("no", orderNo)
                .query(OrderRow.MAPPER).optional();
    }

    private Optional<OrderRow> findByIdempotencyKey(String key) {
        return jdbc.sql("select * from customer_order where idempotency_key = :key").param("key", key)
                .query(OrderRow.MAPPER).optional();
    }
}
