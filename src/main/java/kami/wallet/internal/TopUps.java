package kami.wallet.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import kami.ledger.Ledger;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.payment.NewPayment;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentSucceeded;
import kami.payment.PaymentView;
import kami.payment.Payments;
import kami.platform.ApiException;
import kami.platform.Ids;
import kami.platform.Money;
import kami.wallet.internal.domain.LedgerConventions;
import kami.wallet.internal.domain.TopUpRejection;
import kami.wallet.internal.domain.TopUpRules;
import kami.wallet.internal.domain.TopUpRules.ValidTopUp;
import kami.wallet.internal.domain.TopUpStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Top-ups: a payment through any channel (purpose {@link PaymentPurpose#WALLET_TOP_UP}, driven to a final state
 * by the gateway like any order's payment) that credits the wallet in the transaction recording its success.
 * A top-up is created with its payment in one transaction, idempotent per user by the Idempotency-Key.
 */
@Component
class TopUps {

    /** Top-up numbers start with this letter; they share the payment's order-number column with orders (K). */
    static final char NUMBER_PREFIX = 'W';
    static final String RETURN_PATH = "/wallet?topUp=";

    private static final RowMapper<TopUpRow> ROW = (rs, row) -> new TopUpRow(rs.getString("top_up_no"),
            rs.getLong("user_id"), rs.getString("request_hash"), Money.of(rs.getLong("amount_minor"),
                    rs.getString("currency")), rs.getString("channel"), rs.getString("payment_no"),
            TopUpStatus.valueOf(rs.getString("status")), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("expires_at").toInstant(),
            rs.getTimestamp("credited_at") == null ? null : rs.getTimestamp("credited_at").toInstant());

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Payments payments;
    private final Ledger ledger;
    private final WalletAccounts accounts;
    private final WalletProperties properties;
    private final Clock clock;

    TopUps(JdbcClient jdbc, TransactionTemplate transaction, Payments payments, Ledger ledger,
            WalletAccounts accounts, WalletProperties properties, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.payments = payments;
        this.ledger = ledger;
        this.accounts = accounts;
        this.properties = properties;
        this.clock = clock;
    }

    record TopUpRow(String topUpNo, long userId, String requestHash, Money amount, String channel, String paymentNo,
            TopUpStatus status, Instant createdAt, Instant expiresAt, @Nullable Instant creditedAt) {
    }

    /** A top-up as its user sees it. */
    record TopUpView(String topUpNo, TopUpStatus status, long amountMinor, String currency, PaymentView payment,
            Instant createdAt, Instant expiresAt, @Nullable Instant creditedAt) {
    }

    /** The answer to creating a top-up: the creation itself, identical for every replay of the same request. */
    record Created(TopUpView topUp, boolean replayed) {
    }

    Created create(SignedInUser user, TopUpRules.Request request, String idempotencyKey) {
        ValidTopUp topUp = switch (TopUpRules.validate(request, idempotencyKey, properties.topUpMaxMinor(),
                Payments.WALLET_CHANNEL)) {
            case TopUpRules.Result.Valid valid -> valid.topUp();
            case TopUpRules.Result.Rejected rejected -> throw ApiException.badRequest(rejected.reason().name(),
                    describe(rejected.reason()));
        };
        Optional<TopUpRow> earlier = findByKey(user.id(), idempotencyKey);
        if (earlier.isPresent()) {
            return replay(earlier.get(), topUp);
        }
        payments.requireChannel(topUp.channel(), topUp.method(), topUp.bank());
        // Opened before the payment can succeed, so the credit finds both accounts (opening again is harmless).
        accounts.openWallet(user.id(), topUp.currency());
        accounts.openClearing(topUp.channel(), topUp.currency());
        try {
            return transaction.execute(status -> createNew(user, topUp, idempotencyKey));
        } catch (DuplicateKeyException sameKeyAtTheSameTime) {
            // A concurrent request with the same key committed first; ours rolled back with its payment.
            return replay(findByKey(user.id(), idempotencyKey).orElseThrow(), topUp);
        }
    }

    private Created createNew(SignedInUser user, ValidTopUp topUp, String idempotencyKey) {
        // Millisecond precision: what the database stores must equal what the first answer showed.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String topUpNo = Ids.next(NUMBER_PREFIX, now);
        Instant expiresAt = now.plus(properties.topUpTimeout());
        Money amount = Money.of(topUp.amountMinor(), topUp.currency());
        PaymentView payment = payments.create(new NewPayment(topUpNo, amount, topUp.channel(), topUp.method(),
                topUp.bank(), RETURN_PATH + topUpNo, expiresAt, PaymentPurpose.WALLET_TOP_UP));
        jdbc.sql("""
                insert into wallet_top_up (top_up_no, user_id, idempotency_key, request_hash, amount_minor, currency,
                    channel, payment_no, status, created_at, expires_at)
                values (:no, :user, :key, :hash, :amount, :currency, :channel, :payment, 'PENDING', :now, :expires)""")
                .param("no", topUpNo).param("user", user.id()).param("key", idempotencyKey)
                .param("hash", topUp.hash()).param("amount", topUp.amountMinor()).param("currency", topUp.currency())
                .param("channel", payment.channel()).param("payment", payment.paymentNo())
                .param("now", Timestamp.from(now)).param("expires", Timestamp.from(expiresAt)).update();
        return new Created(new TopUpView(topUpNo, TopUpStatus.PENDING, topUp.amountMinor(), topUp.currency(),
                payment, now, expiresAt, null), false);
    }

    private Created replay(TopUpRow earlier, ValidTopUp request) {
        if (!earlier.requestHash().equals(request.hash())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED",
                    "This Idempotency-Key was used for a different top-up");
        }
        return new Created(new TopUpView(earlier.topUpNo(), TopUpStatus.PENDING, earlier.amount().amountMinor(),
                earlier.amount().currencyCode(), payment(earlier), earlier.createdAt(), earlier.expiresAt(), null),
                true);
    }

    /** The user's top-up as it is now; another user's is as unknown as one that does not exist. */
    Optional<TopUpView> find(SignedInUser user, String topUpNo) {
        return jdbc.sql("select * from wallet_top_up where top_up_no = :no and user_id = :user")
                .param("no", topUpNo).param("user", user.id()).query(ROW).optional()
                .map(row -> new TopUpView(row.topUpNo(), row.status(), row.amount().amountMinor(),
                        row.amount().currencyCode(), payment(row), row.createdAt(), row.expiresAt(),
                        row.creditedAt()));
    }

    /**
     * Credits the wallet in the transaction that records the top-up's payment, so the payment is not
     * acknowledged to its channel unless the money is in the wallet. The transfer id is derived from the payment
     * number: a second delivery of the same success credits nothing more.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(PaymentSucceeded payment) {
        if (payment.purpose() != PaymentPurpose.WALLET_TOP_UP) {
            return;
        }
        TopUpRow topUp = jdbc.sql("select * from wallet_top_up where top_up_no = :no for update")
                .param("no", payment.orderNo()).query(ROW).optional()
                .orElseThrow(() -> new IllegalStateException("payment " + payment.paymentNo()
                        + " belongs to unknown top-up " + payment.orderNo()));
        if (!topUp.paymentNo().equals(payment.paymentNo()) || !topUp.amount().equals(payment.amount())) {
            throw new IllegalStateException("payment " + payment.paymentNo() + " of " + payment.amount()
                    + " does not match top-up " + topUp);
        }
        String currency = topUp.amount().currencyCode();
        long wallet = accounts.openWallet(topUp.userId(), currency);
        long clearing = accounts.openClearing(payment.channel(), currency);
        TransferResult credited = ledger.transfer(TransferRequest.posted(
                LedgerConventions.topUpTransferId(payment.paymentNo()), clearing, wallet,
                topUp.amount().amountMinor(), currency, topUp.topUpNo()));
        if (credited instanceof TransferResult.Rejected rejected) {
            throw new IllegalStateException("top-up " + topUp.topUpNo() + " cannot be credited: "
                    + rejected.reason());
        }
        if (topUp.status() != TopUpStatus.CREDITED) {
            topUp.status().requireTransitionTo(TopUpStatus.CREDITED);
            jdbc.sql("""
                    update wallet_top_up set status = 'CREDITED', credited_at = :now
                    where top_up_no = :no and status = :from""")
                    .param("now", Timestamp.from(payment.succeededAt())).param("no", topUp.topUpNo())
                    .param("from", topUp.status().name()).update();
        }
    }

    /** A top-up whose payment was closed unpaid; returns whether this call gave it up. */
    boolean expire(String topUpNo) {
        TopUpStatus.PENDING.requireTransitionTo(TopUpStatus.EXPIRED);
        return jdbc.sql("update wallet_top_up set status = 'EXPIRED' where top_up_no = :no and status = 'PENDING'")
                .param("no", topUpNo).update() == 1;
    }

    private PaymentView payment(TopUpRow topUp) {
        return payments.findByOrder(topUp.topUpNo()).orElseThrow(() -> new IllegalStateException(
                "top-up " + topUp.topUpNo() + " has no payment"));
    }

    private Optional<TopUpRow> findByKey(long userId, String idempotencyKey) {
        return jdbc.sql("select * from wallet_top_up where user_id = :user and idempotency_key = :key")
                .param("user", userId).param("key", idempotencyKey).query(ROW).optional();
    }

    private String describe(TopUpRejection rejection) {
        return switch (rejection) {
            case INVALID_IDEMPOTENCY_KEY -> "Idempotency-Key must be 1 to " + TopUpRules.IDEMPOTENCY_KEY_LENGTH_MAX
                    + " printable ASCII characters without spaces";
            case INVALID_AMOUNT -> "amountMinor must be a positive number of minor units";
            case AMOUNT_ABOVE_MAXIMUM -> "amountMinor must be at most " + properties.topUpMaxMinor()
                    + " per top-up";
            case INVALID_CURRENCY -> "currency must be an ISO 4217 code such as CNY";
            case CHANNEL_REQUIRED -> "channel is required, e.g. \"sandbox\"";
            case TOP_UP_CHANNEL_NOT_ALLOWED -> "A wallet is topped up through a payment channel, not from the "
                    + "wallet itself";
        };
    }
}
