package kami.payment.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import kami.payment.PaymentPurpose;
import kami.payment.RefundRequest;
import kami.payment.RefundView;
import kami.platform.ApiException;
import kami.platform.Ids;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Refund requests: idempotent by the caller's request number, and never more than was paid, because the amount
 * is taken from the payment's refundable capacity by one conditional update. The channel is asked only after
 * the refund is committed.
 */
@Component
class Refunds {

    static final int REASON_LENGTH_MAX = 200;
    private static final Pattern REQUEST_NO = Pattern.compile("^[\\x21-\\x7E]{1,64}$");

    private final JdbcClient jdbc;
    private final JdbcPayments payments;
    private final RefundDrivers drivers;
    private final TransactionTemplate transaction;
    private final Clock clock;

    Refunds(JdbcClient jdbc, JdbcPayments payments, RefundDrivers drivers, TransactionTemplate transaction,
            Clock clock) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.drivers = drivers;
        this.transaction = transaction;
        this.clock = clock;
    }

    RefundView request(RefundRequest request) {
        validate(request);
        String hash = hash(request);
        Optional<RefundRecord> earlier = findByRequestNo(request.requestNo());
        if (earlier.isPresent()) {
            return replay(earlier.get(), hash);
        }
        try {
            return transaction.execute(status -> create(request, hash));
        } catch (DuplicateKeyException sameRequestAtTheSameTime) {
            return replay(findByRequestNo(request.requestNo()).orElseThrow(), hash);
        }
    }

    private RefundView create(RefundRequest request, String hash) {
        PaymentRecord payment = payments.findRecordByOrder(request.orderNo()).orElseThrow(() ->
                ApiException.notFound("ORDER_NOT_FOUND", "No order " + request.orderNo()));
        if (payment.purpose() != PaymentPurpose.ORDER) {
            // The money of a top-up is in the user's wallet (and may be spent already); giving it back through
            // the channel as well would pay it out twice.
            throw new ApiException(HttpStatus.CONFLICT, "NOT_REFUNDABLE", request.orderNo() + " is a wallet "
                    + "top-up, not an order; its money is in the user's wallet");
        }
        if (payment.status() != PaymentStatus.SUCCEEDED) {
            throw new ApiException(HttpStatus.CONFLICT, "NOT_REFUNDABLE", "Order " + request.orderNo()
                    + " has no successful payment to refund");
        }
        long refundable = jdbc.sql("select amount_minor - refunded_minor from payment where payment_no = :no")
                .param("no", payment.paymentNo()).query(Long.class).single();
        long amount = request.amountMinor() != null ? request.amountMinor() : refundable;
        int taken = amount <= 0 ? 0 : jdbc.sql("""
                update payment set refunded_minor = refunded_minor + :amount
                where payment_no = :no and status = 'SUCCEEDED' and refunded_minor + :amount <= amount_minor""")
                .param("amount", amount).param("no", payment.paymentNo()).update();
        if (taken != 1) {
            throw new ApiException(HttpStatus.CONFLICT, "REFUND_EXCEEDS_PAYMENT", "Refunding " + amount
                    + " would exceed what is left of the payment (" + refundable + " of "
                    + payment.amount().amountMinor() + " minor units)");
        }
        Instant now = clock.instant();
        String refundNo = Ids.next('R', now);
        jdbc.sql("""
                insert into refund (refund_no, request_no, request_hash, payment_no, order_no, channel, amount_minor,
                    currency, reason, status, created_at)
                values (:no, :requestNo, :hash, :payment, :order, :channel, :amount, :currency, :reason, 'PENDING',
                    :now)""")
                .param("no", refundNo).param("requestNo", request.requestNo()).param("hash", hash)
                .param("payment", payment.paymentNo()).param("order", payment.orderNo())
                .param("channel", payment.channel()).param("amount", amount)
                .param("currency", payment.amount().currencyCode()).param("reason", request.reason().strip())
                .param("now", Timestamp.from(now)).update();
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                drivers.submitSoon(refundNo);
            }
        });
        return find(refundNo).orElseThrow().view(false);
    }

    Optional<RefundRecord> find(String refundNo) {
        return jdbc.sql("select * from refund where refund_no = :no").param("no", refundNo)
                .query(RefundRecord.MAPPER).optional();
    }

    List<RefundView> ofOrder(String orderNo) {
        return jdbc.sql("select * from refund where order_no = :no order by created_at, refund_no")
                .param("no", orderNo).query(RefundRecord.MAPPER).list().stream().map(r -> r.view(false)).toList();
    }

    private Optional<RefundRecord> findByRequestNo(String requestNo) {
        return jdbc.sql("select * from refund where request_no = :no").param("no", requestNo)
                .query(RefundRecord.MAPPER).optional();
    }

    private static RefundView replay(RefundRecord earlier, String hash) {
        if (!earlier.requestHash().equals(hash)) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "REFUND_REQUEST_REUSED",
                    "Refund request number " + earlier.requestNo() + " was used for a different refund");
        }
        return earlier.view(true);
    }

    private static void validate(RefundRequest request) {
        if (request.orderNo() == null || request.orderNo().isBlank()) {
            throw ApiException.badRequest("ORDER_NO_REQUIRED", "orderNo is required");
        }
        if (request.requestNo() == null || !REQUEST_NO.matcher(request.requestNo()).matches()) {
            throw ApiException.badRequest("INVALID_REQUEST_NO", "requestNo must be 1 to 64 printable ASCII "
                    + "characters without spaces");
        }
        if (request.amountMinor() != null && request.amountMinor() <= 0) {
            throw ApiException.badRequest("INVALID_AMOUNT", "amountMinor must be positive (or left out to refund "
                    + "everything still refundable)");
        }
        if (request.reason() == null || request.reason().isBlank() || request.reason().length() > REASON_LENGTH_MAX) {
            throw ApiException.badRequest("INVALID_REASON", "reason is required, at most " + REASON_LENGTH_MAX
                    + " characters");
        }
    }

    private static String hash(RefundRequest request) {
        String canonical = request.orderNo() + "\n" + (request.amountMinor() == null ? "rest" : request.amountMinor())
                + "\n" + request.reason().strip();
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
