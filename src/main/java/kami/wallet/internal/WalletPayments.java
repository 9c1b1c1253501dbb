package kami.wallet.internal;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.Optional;
import kami.ledger.Ledger;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.payment.PaymentDetails;
import kami.payment.PaymentPurpose;
import kami.payment.PaymentView;
import kami.payment.Payments;
import kami.payment.RefundSucceeded;
import kami.platform.ApiException;
import kami.platform.Money;
import kami.wallet.internal.domain.LedgerConventions;
import org.jspecify.annotations.Nullable;
import org.springframework.context.event.EventListener;
import org.springframework.dao.ConcurrencyFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Orders paid from the wallet. One transaction claims the payment for the user ({@code wallet_payment}, unique
 * per payment), debits the wallet on the ledger and records the payment at the gateway, which moves the order to
 * PAID: all of it commits, or nothing does. The wallet's balance row is locked by the debit, so concurrent
 * payments from one wallet queue on it and each sees what the previous one left; it never goes below zero.
 * Refunds of wallet-paid orders go back into the wallet.
 */
@Component
class WalletPayments {

    private static final RowMapper<PaidRow> ROW = (rs, row) -> new PaidRow(rs.getString("payment_no"),
            rs.getString("order_no"), rs.getLong("user_id"), Money.of(rs.getLong("amount_minor"),
                    rs.getString("currency")), rs.getString("transfer_id"), rs.getTimestamp("paid_at").toInstant());

    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final Payments payments;
    private final Ledger ledger;
    private final WalletAccounts accounts;
    private final Clock clock;

    WalletPayments(JdbcClient jdbc, TransactionTemplate transaction, Payments payments, Ledger ledger,
            WalletAccounts accounts, Clock clock) {
        this.jdbc = jdbc;
        this.transaction = transaction;
        this.payments = payments;
        this.ledger = ledger;
        this.accounts = accounts;
        this.clock = clock;
    }

    record PaidRow(String paymentNo, String orderNo, long userId, Money amount, String transferId, Instant paidAt) {
    }

    /** A payment made from the wallet, as its payer sees it. */
    record WalletPaymentView(String paymentNo, String orderNo, String status, long amountMinor, String currency,
            String transferId, Instant paidAt) {

        static WalletPaymentView of(PaidRow row) {
            return new WalletPaymentView(row.paymentNo(), row.orderNo(), "PAID", row.amount().amountMinor(),
                    row.amount().currencyCode(), row.transferId(), row.paidAt());
        }
    }

    /** The answer to paying: paid now, or the first answer again ({@code replayed}). */
    record Paid(WalletPaymentView payment, boolean replayed) {
    }

    /** Thrown inside the transaction when another request paid the same payment first; it then rolls back. */
    private static final class PaidMeanwhile extends RuntimeException {

        PaidMeanwhile() {
            super(null, null, false, false);
        }
    }

    Paid pay(SignedInUser user, @Nullable String orderNo, @Nullable String paymentNo) {
        String target = paymentNoOf(orderNo, paymentNo);
        Optional<PaidRow> earlier = find(target);
        if (earlier.isPresent()) {
            return replay(user, earlier.get());
        }
        PaymentDetails payment = payments.details(target).orElseThrow(() -> ApiException.notFound(
                "PAYMENT_NOT_FOUND", "No payment " + target));
        if (payment.succeeded()) {
            // Paid from a wallet between the look above and this one: that is the first answer.
            Optional<PaidRow> meanwhile = find(target);
            if (meanwhile.isPresent()) {
                return replay(user, meanwhile.get());
            }
        }
        requirePayable(payment);
        String currency = payment.amount().currencyCode();
        long wallet = accounts.wallet(user.id(), currency).orElseThrow(() -> insufficient(payment));
        long clearing = accounts.openClearing(Payments.WALLET_CHANNEL, currency);
        for (int attempt = 1; ; attempt++) {
            try {
                return Objects.requireNonNull(transaction.execute(status -> payNow(user, payment, wallet,
                        clearing)));
            } catch (PaidMeanwhile e) {
                return replay(user, find(target).orElseThrow());
            } catch (ConcurrencyFailureException lockCycle) {
                // The debit and the listeners of the payment's success (settlement books it) are separate ledger
                // calls, each locking its accounts in order; payments from two wallets can still meet crosswise
                // on the clearing account's shards, and the database breaks the cycle by failing one. It is tried
                // again.
                if (attempt == ATTEMPTS_MAX) {
                    throw lockCycle;
                }
            }
        }
    }

    /** Tries of a payment that lost a lock cycle. */
    static final int ATTEMPTS_MAX = 3;

    private Paid payNow(SignedInUser user, PaymentDetails payment, long wallet, long clearing) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        String transferId = LedgerConventions.paymentTransferId(payment.paymentNo());
        // Payments from one wallet queue here, before any ledger lock: otherwise each would lock a shard of the
        // clearing account (ordered before the wallet's row) and then wait for the wallet, holding the shard the
        // one ahead needs for booking the payment to the merchant, a lock cycle for nearly every pair.
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended('kami.wallet.user-' || :user, 0))")
                .param("user", user.id()).query((rs, n) -> 1).list();
        // A concurrent payment of the same payment waits here for the first to commit or roll back.
        int claimed = jdbc.sql("""
                insert into wallet_payment (payment_no, order_no, user_id, amount_minor, currency, transfer_id,
                    paid_at)
                values (:no, :order, :user, :amount, :currency, :transfer, :now)
                on conflict (payment_no) do nothing""")
                .param("no", payment.paymentNo()).param("order", payment.orderNo()).param("user", user.id())
                .param("amount", payment.amount().amountMinor()).param("currency", payment.amount().currencyCode())
                .param("transfer", transferId).param("now", Timestamp.from(now)).update();
        if (claimed == 0) {
            throw new PaidMeanwhile();
        }
        TransferResult debit = ledger.transfer(TransferRequest.posted(transferId, wallet, clearing,
                payment.amount().amountMinor(), payment.amount().currencyCode(), payment.orderNo()));
        switch (debit) {
            case TransferResult.Rejected rejected when rejected.reason() == TransferRejection.EXCEEDS_CREDITS ->
                    throw insufficient(payment);
            case TransferResult.Rejected rejected -> throw new IllegalStateException("wallet payment "
                    + transferId + " rejected by the ledger: " + rejected.reason());
            case TransferResult.Applied applied when applied.replayed() -> throw new IllegalStateException(
                    "transfer " + transferId + " exists without its wallet payment");
            case TransferResult.Applied applied -> {
            }
        }
        // Moves the payment to SUCCEEDED and the order to PAID in this transaction, or refuses a closed payment
        // (the whole transaction then rolls back, the debit with it).
        payments.recordInternalPayment(payment.paymentNo(), transferId);
        return new Paid(WalletPaymentView.of(new PaidRow(payment.paymentNo(), payment.orderNo(), user.id(),
                payment.amount(), transferId, now)), false);
    }

    /**
     * Puts the money of a refunded wallet payment back into the wallet, in the transaction that records the
     * refund's success. The transfer id is derived from the refund number, so it is credited once.
     */
    @EventListener
    @Transactional(propagation = Propagation.MANDATORY)
    public void on(RefundSucceeded refund) {
        if (refund.purpose() != PaymentPurpose.ORDER) {
            return;
        }
        PaidRow paid = find(refund.paymentNo()).orElse(null);
        if (paid == null) {
            boolean walletPayment = payments.details(refund.paymentNo())
                    .map(payment -> Payments.WALLET_CHANNEL.equals(payment.channel())).orElse(false);
            if (walletPayment) {
                throw new IllegalStateException("refund " + refund.refundNo() + " is of wallet payment "
                        + refund.paymentNo() + ", which no wallet paid");
            }
            return;
        }
        String currency = paid.amount().currencyCode();
        if (!refund.amount().currency().equals(paid.amount().currency())
                || refund.amount().amountMinor() > paid.amount().amountMinor()) {
            throw new IllegalStateException("refund " + refund.refundNo() + " of " + refund.amount()
                    + " does not fit wallet payment " + paid);
        }
        long wallet = accounts.openWallet(paid.userId(), currency);
        long clearing = accounts.openClearing(Payments.WALLET_CHANNEL, currency);
        TransferResult credited = ledger.transfer(TransferRequest.posted(
                LedgerConventions.refundTransferId(refund.refundNo()), clearing, wallet,
                refund.amount().amountMinor(), currency, paid.orderNo()));
        if (credited instanceof TransferResult.Rejected rejected) {
            throw new IllegalStateException("refund " + refund.refundNo() + " cannot be credited to the wallet: "
                    + rejected.reason());
        }
    }

    private String paymentNoOf(@Nullable String orderNo, @Nullable String paymentNo) {
        if (paymentNo != null && !paymentNo.isBlank()) {
            return paymentNo.strip();
        }
        if (orderNo == null || orderNo.isBlank()) {
            throw ApiException.badRequest("ORDER_NO_REQUIRED", "orderNo (or paymentNo) is required");
        }
        return payments.findByOrder(orderNo.strip()).map(PaymentView::paymentNo)
                .orElseThrow(() -> ApiException.notFound("ORDER_NOT_FOUND", "No order " + orderNo.strip()));
    }

    private void requirePayable(PaymentDetails payment) {
        if (!Payments.WALLET_CHANNEL.equals(payment.channel()) || payment.purpose() != PaymentPurpose.ORDER) {
            throw new ApiException(HttpStatus.CONFLICT, "NOT_A_WALLET_PAYMENT", "Payment " + payment.paymentNo()
                    + " is to be paid through channel " + payment.channel() + "; place the order with channel \""
                    + Payments.WALLET_CHANNEL + "\" to pay it from the wallet");
        }
        if (payment.succeeded()) {
            throw new ApiException(HttpStatus.CONFLICT, "PAYMENT_ALREADY_SUCCEEDED", "Payment "
                    + payment.paymentNo() + " is already paid");
        }
        if (!"PENDING".equals(payment.status()) || !clock.instant().isBefore(payment.expiresAt())) {
            throw new ApiException(HttpStatus.CONFLICT, "PAYMENT_CLOSED", "Payment " + payment.paymentNo()
                    + " can no longer be paid: its order expired or was closed");
        }
    }

    private static Paid replay(SignedInUser user, PaidRow earlier) {
        if (earlier.userId() != user.id()) {
            throw new ApiException(HttpStatus.CONFLICT, "PAYMENT_ALREADY_SUCCEEDED", "Payment "
                    + earlier.paymentNo() + " is already paid");
        }
        return new Paid(WalletPaymentView.of(earlier), true);
    }

    private static ApiException insufficient(PaymentDetails payment) {
        return new ApiException(HttpStatus.CONFLICT, "INSUFFICIENT_BALANCE", "The wallet holds less than "
                + payment.amount().amountMinor() + " " + payment.amount().currencyCode() + " (minor units); top it "
                + "up first");
    }

    private Optional<PaidRow> find(String paymentNo) {
        return jdbc.sql("select * from wallet_payment where payment_no = :no").param("no", paymentNo).query(ROW)
                .optional();
    }
}
