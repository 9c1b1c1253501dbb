package kami.settlement.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import kami.catalog.Catalog;
import kami.ledger.Ledger;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.ordering.Orders;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentSucceeded;
import kami.payment.RefundSucceeded;
import kami.settlement.internal.domain.FeeRate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Books payments and refunds for orders (not wallet top-ups: the wallet books those) on the ledger in the
 * transaction that records them, so that no payment is acknowledged to a channel, and no refund marked done,
 * without its money on the books. Each is booked once: the
 * settlement row's key and the transfer ids (derived from the payment and refund numbers) make a second delivery
 * of the same event a no-op.
 */
@Component
class PaymentBooks {

    private static final Logger log = LoggerFactory.getLogger(PaymentBooks.class);

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final BookAccounts accounts;
    private final Orders orders;
    private final Catalog catalog;
    private final SettlementProperties properties;
    private final MerchantLocks merchantLocks;
    private final Clock clock;
    private final Map<Long, Long> merchantByProduct = new ConcurrentHashMap<>();

    PaymentBooks(JdbcClient jdbc, Ledger ledger, BookAccounts accounts, Orders orders, Catalog catalog,
            SettlementProperties properties, MerchantLocks merchantLocks, Clock clock) {
        this.merchantLocks = merchantLocks;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.accounts = accounts;
        this.orders = orders;
        this.catalog = catalog;
        this.properties = properties;
        this.clock = clock;
    }

    /** The net to the merchant's pending balance and the fee to the platform, both out of the channel's clearing. */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(PaymentSucceeded payment) {
        if (payment.purpose() != PaymentPurpose.ORDER) {
            return;
        }
        long merchantId = payment.merchantId() != null ? payment.merchantId() : merchantOf(payment);
        String currency = payment.amount().currencyCode();
        long amount = payment.amount().amountMinor();
        long fee = properties.feeRate().feeOn(amount);
        int booked = jdbc.sql("""
                insert into settlement_payment (payment_no, order_no, merchant_id, channel, currency, amount_minor,
                    fee_minor, paid_at, settle_at)
                values (:payment, :order, :merchant, :channel, :currency, :amount, :fee, :paidAt, :settleAt)
                on conflict (payment_no) do nothing""")
                .param("payment", payment.paymentNo()).param("order", payment.orderNo())
                .param("merchant", merchantId).param("channel", payment.channel()).param("currency", currency)
                .param("amount", amount).param("fee", fee)
                .param("paidAt", Timestamp.from(payment.succeededAt()))
                .param("settleAt", Timestamp.from(payment.succeededAt().plus(properties.delay())))
                .update();
        if (booked == 0) {
            return;
        }
        long clearing = accounts.clearing(payment.channel(), currency);
        List<TransferRequest> transfers = new ArrayList<>();
        if (amount > fee) {
            transfers.add(TransferRequest.posted(Transfers.payment(payment.paymentNo()), clearing,
                    accounts.merchant(merchantId, currency).pending(), amount - fee, currency, payment.orderNo()));
        }
        if (fee > 0) {
            transfers.add(TransferRequest.posted(Transfers.fee(payment.paymentNo()), clearing,
                    accounts.fees(currency), fee, currency, payment.orderNo()));
        }
        // The balance rows are locked from the transfer to the commit, and every payment of the merchant takes one
        // of its pending shards: posting just before the commit keeps them locked for the commit alone rather than
        // for the rest of the payment's work, which other payments would otherwise queue behind.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void beforeCommit(boolean readOnly) {
                requireApplied(ledger.transferAll(transfers), transfers);
            }
        });
    }

    /**
     * The merchant of a payment created before payments recorded it: the seller of the order's product. A product
     * never changes merchant, so the answer is kept (one query less per payment).
     */
    private long merchantOf(PaymentSucceeded payment) {
        long productId = orders.productOf(payment.orderNo()).orElseThrow(() -> new IllegalStateException(
                "payment " + payment.paymentNo() + " belongs to unknown order " + payment.orderNo()));
        Long known = merchantByProduct.get(productId);
        if (known != null) {
            return known;
        }
        long merchantId = catalog.find(productId).orElseThrow(() -> new IllegalStateException(
                "order " + payment.orderNo() + " is for unknown product " + productId)).merchantId();
        merchantByProduct.put(productId, merchantId);
        return merchantId;
    }

    /**
     * Takes a refund back: the share of the fee it returns from the platform, the rest from the merchant: from
     * the pending balance while the payment is not settled, else from the available balance, and what that
     * cannot cover becomes the merchant's debt, repaid by its next settlements.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(RefundSucceeded refund) {
        if (refund.purpose() != PaymentPurpose.ORDER) {
            return;
        }
        SettlementRow payment = jdbc.sql("select * from settlement_payment where payment_no = :no for update")
                .param("no", refund.paymentNo()).query(SettlementRow.MAPPER).optional().orElse(null);
        if (payment == null) {
            log.warn("ALERT refund {} of payment {} has no booked payment: the ledger does not show it",
                    refund.refundNo(), refund.paymentNo());
            return;
        }
        // The payment's row is locked: bookings of the same refund queue here, and the later one finds the first.
        if (jdbc.sql("select count(*) from settlement_refund where refund_no = :no").param("no", refund.refundNo())
                .query(Long.class).single() > 0) {
            return;
        }
        if (payment.settled()) {
            merchantLocks.lock(payment.merchantId());
        }
        long amount = refund.amount().amountMinor();
        FeeRate.RefundSplit split = FeeRate.splitRefund(payment.amountMinor(), payment.feeMinor(),
                payment.refundedMinor(), amount);
        String currency = payment.currency();
        BookAccounts.MerchantBook merchant = accounts.merchant(payment.merchantId(), currency);
        long clearing = accounts.clearing(payment.channel(), currency);
        String reference = payment.orderNo();
        long fromPending = payment.settled() ? 0 : split.merchantMinor();
        long fromAvailable = payment.settled()
                ? Math.max(0, Math.min(split.merchantMinor(), Balances.spendable(ledger, merchant.available()))) : 0;
        long fromOwed = split.merchantMinor() - fromPending - fromAvailable;
        // One ledger call for all of it: the ledger locks every account of a call in one order, and a second call
        // in this transaction would take locks in a second round, which two refunds could do crosswise.
        List<TransferRequest> transfers = new ArrayList<>();
        addIfPositive(transfers, Transfers.refundFee(refund.refundNo()), accounts.fees(currency), clearing,
                split.feeMinor(), currency, reference);
        addIfPositive(transfers, Transfers.refundFrom(refund.refundNo(), "pending"), merchant.pending(), clearing,
                fromPending, currency, reference);
        addIfPositive(transfers, Transfers.refundFrom(refund.refundNo(), "available"), merchant.available(),
                clearing, fromAvailable, currency, reference);
        addIfPositive(transfers, Transfers.refundFrom(refund.refundNo(), "owed"), merchant.owed(), clearing,
                fromOwed, currency, reference);
        List<TransferResult> results = ledger.transferAll(transfers);
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof TransferResult.Rejected rejected
                    && rejected.reason() == TransferRejection.EXCEEDS_CREDITS
                    && transfers.get(i).debitAccountId() == merchant.available()) {
                // Only a transfer made outside settlement (an operator's ledger transfer) can take the balance
                // under the merchant's lock: roll the refund back; it is booked again when it is applied again.
                throw new ConcurrencyFailureException("refund " + refund.refundNo() + ": merchant "
                        + payment.merchantId() + "'s available balance changed while booking; try again");
            }
        }
        requireApplied(results, transfers);
        if (fromOwed > 0) {
            log.warn("ALERT refund {} took {} {} more than merchant {} has available: booked as the merchant's debt",
                    refund.refundNo(), fromOwed, currency, payment.merchantId());
        }
        jdbc.sql("""
                insert into settlement_refund (refund_no, payment_no, amount_minor, fee_minor, from_pending_minor,
                    from_available_minor, from_owed_minor, booked_at)
                values (:refund, :payment, :amount, :fee, :pending, :available, :owed, :now)""")
                .param("refund", refund.refundNo()).param("payment", payment.paymentNo()).param("amount", amount)
                .param("fee", split.feeMinor()).param("pending", fromPending).param("available", fromAvailable)
                .param("owed", fromOwed).param("now", Timestamp.from(clock.instant())).update();
        jdbc.sql("""
                update settlement_payment set refunded_minor = refunded_minor + :amount,
                    fee_returned_minor = fee_returned_minor + :fee
                where payment_no = :no""")
                .param("amount", amount).param("fee", split.feeMinor()).param("no", payment.paymentNo()).update();
    }

    private static void addIfPositive(List<TransferRequest> transfers, String transferId, long debit, long credit,
            long amountMinor, String currency, String reference) {
        if (amountMinor > 0) {
            transfers.add(TransferRequest.posted(transferId, debit, credit, amountMinor, currency, reference));
        }
    }

    /**
     * A rejection here means the books disagree with the rules (a bug or a concurrent payout took the available
     * balance between the read and the transfer): fail the whole transaction so that it is tried again.
     */
    static void requireApplied(List<TransferResult> results, List<TransferRequest> requests) {
        for (int i = 0; i < results.size(); i++) {
            if (results.get(i) instanceof TransferResult.Rejected rejected) {
                throw new IllegalStateException("ledger rejected " + requests.get(i).transferId() + ": "
                        + rejected.reason());
            }
        }
    }
}
