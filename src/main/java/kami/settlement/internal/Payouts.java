package kami.settlement.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import kami.catalog.Catalog;
import kami.ledger.Ledger;
import kami.ledger.ResolvePending;
import kami.ledger.TransferRejection;
import kami.ledger.TransferRequest;
import kami.ledger.TransferResult;
import kami.platform.ApiException;
import kami.platform.Ids;
import kami.settlement.internal.domain.PayoutStatus;
import org.jspecify.annotations.Nullable;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Payouts to merchants. Kami does not move the money itself: the operator pays the merchant (bank transfer, a
 * channel's payout product) and tells Kami the outcome. Requesting a payout holds its amount on the merchant's
 * available balance (a two-phase transfer, so it cannot be paid out twice or spent by a refund meanwhile); paid
 * posts the hold, failed voids it and the money is available again.
 */
@Service
class Payouts {

    static final int DESTINATION_MAX = 200;
    static final int TEXT_MAX = 500;

    record Payout(String payoutNo, long merchantId, String currency, long amountMinor, PayoutStatus status,
            String destination, @Nullable String reference, @Nullable String failureReason, String requestedBy,
            Instant requestedAt, @Nullable Instant finishedAt) {
    }

    /** The answer to a request: the payout and whether it was created now or found under the same key. */
    record Requested(Payout payout, boolean replayed) {
    }

    private static final RowMapper<Payout> MAPPER = (rs, n) -> new Payout(rs.getString("payout_no"),
            rs.getLong("merchant_id"), rs.getString("currency"), rs.getLong("amount_minor"),
            PayoutStatus.valueOf(rs.getString("status")), rs.getString("destination"), rs.getString("reference"),
            rs.getString("failure_reason"), rs.getString("requested_by"),
            rs.getTimestamp("requested_at").toInstant(),
            rs.getTimestamp("finished_at") == null ? null : rs.getTimestamp("finished_at").toInstant());

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final BookAccounts accounts;
    private final Catalog catalog;
    private final TransactionTemplate transaction;
    private final MerchantLocks merchantLocks;
    private final Clock clock;

    Payouts(JdbcClient jdbc, Ledger ledger, BookAccounts accounts, Catalog catalog, TransactionTemplate transaction,
            MerchantLocks merchantLocks, Clock clock) {
        this.merchantLocks = merchantLocks;
        this.jdbc = jdbc;
        this.ledger = ledger;
        this.accounts = accounts;
        this.catalog = catalog;
        this.transaction = transaction;
        this.clock = clock;
    }

    Requested request(long merchantId, String currency, long amountMinor, String destination,
            String idempotencyKey, String operator) {
        if (!catalog.merchantExists(merchantId)) {
            throw ApiException.notFound("MERCHANT_NOT_FOUND", "No merchant with id " + merchantId);
        }
        Currencies.require(currency);
        if (amountMinor <= 0) {
            throw ApiException.badRequest("INVALID_AMOUNT", "amountMinor must be positive");
        }
        if (destination.isBlank() || destination.length() > DESTINATION_MAX) {
            throw ApiException.badRequest("INVALID_DESTINATION", "destination (where the money goes, e.g. a bank "
                    + "account) is required, at most " + DESTINATION_MAX + " characters");
        }
        String hash = requestHash(currency, amountMinor, destination);
        Optional<Requested> earlier = replay(merchantId, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        try {
            return new Requested(transaction.execute(status -> hold(merchantId, currency, amountMinor,
                    destination, idempotencyKey, hash, operator)), false);
        } catch (DuplicateKeyException concurrentSameKey) {
            return replay(merchantId, idempotencyKey, hash).orElseThrow(() -> concurrentSameKey);
        }
    }

    private Optional<Requested> replay(long merchantId, String idempotencyKey, String hash) {
        return jdbc.sql("select * from merchant_payout where merchant_id = :merchant and idempotency_key = :key")
                .param("merchant", merchantId).param("key", idempotencyKey)
                .query((rs, n) -> {
                    if (!rs.getString("request_hash").equals(hash)) {
                        throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "IDEMPOTENCY_KEY_REUSED",
                                "This Idempotency-Key was used for a different payout request");
                    }
                    return new Requested(MAPPER.mapRow(rs, n), true);
                })
                .optional();
    }

    private Payout hold(long merchantId, String currency, long amountMinor, String destination,
            String idempotencyKey, String hash, String operator) {
        merchantLocks.lock(merchantId);
        Instant now = clock.instant();
        String payoutNo = Ids.next('D', now);
        jdbc.sql("""
                insert into merchant_payout (payout_no, merchant_id, currency, amount_minor, status, destination,
                    idempotency_key, request_hash, requested_by, requested_at)
                values (:no, :merchant, :currency, :amount, 'REQUESTED', :destination, :key, :hash, :operator, :now)""")
                .param("no", payoutNo).param("merchant", merchantId).param("currency", currency)
                .param("amount", amountMinor).param("destination", destination).param("key", idempotencyKey)
                .param("hash", hash).param("operator", operator).param("now", Timestamp.from(now)).update();
        BookAccounts.MerchantBook book = accounts.merchant(merchantId, currency);
        TransferResult held = ledger.transfer(TransferRequest.hold(Transfers.payout(payoutNo), book.available(),
                accounts.payouts(currency), amountMinor, currency, payoutNo, null));
        if (held instanceof TransferResult.Rejected rejected) {
            if (rejected.reason() == TransferRejection.EXCEEDS_CREDITS) {
                throw new ApiException(HttpStatus.CONFLICT, "INSUFFICIENT_BALANCE", "The merchant's available "
                        + currency + " balance is less than " + amountMinor + " minor units");
            }
            throw new IllegalStateException("payout hold rejected: " + rejected.reason());
        }
        return find(payoutNo).orElseThrow();
    }

    Payout complete(String payoutNo, @Nullable String reference) {
        return finish(payoutNo, PayoutStatus.PAID, reference, null);
    }

    Payout fail(String payoutNo, String reason) {
        return finish(payoutNo, PayoutStatus.FAILED, null, reason);
    }

    /** Finishing twice the same way answers the payout again; the other way is a conflict. */
    private Payout finish(String payoutNo, PayoutStatus to, @Nullable String reference,
            @Nullable String failureReason) {
        return transaction.execute(status -> {
            Payout payout = jdbc.sql("select * from merchant_payout where payout_no = :no for update")
                    .param("no", payoutNo).query(MAPPER).optional()
                    .orElseThrow(() -> ApiException.notFound("PAYOUT_NOT_FOUND", "No payout " + payoutNo));
            if (payout.status() == to) {
                return payout;
            }
            if (!payout.status().canMoveTo(to)) {
                throw new ApiException(HttpStatus.CONFLICT, "PAYOUT_ALREADY_FINISHED", "Payout " + payoutNo
                        + " is already " + payout.status());
            }
            String hold = Transfers.payout(payoutNo);
            TransferResult resolved = to == PayoutStatus.PAID ? ledger.post(ResolvePending.whole(hold))
                    : ledger.voidPending(ResolvePending.whole(hold));
            if (resolved instanceof TransferResult.Rejected rejected) {
                throw new IllegalStateException("payout " + payoutNo + " hold not resolved: " + rejected.reason());
            }
            jdbc.sql("""
                    update merchant_payout set status = :to, reference = :reference, failure_reason = :reason,
                        finished_at = :now
                    where payout_no = :no and status = 'REQUESTED'""")
                    .param("to", to.name()).param("reference", reference).param("reason", failureReason)
                    .param("now", Timestamp.from(clock.instant())).param("no", payoutNo).update();
            return find(payoutNo).orElseThrow();
        });
    }

    Optional<Payout> find(String payoutNo) {
        return jdbc.sql("select * from merchant_payout where payout_no = :no").param("no", payoutNo).query(MAPPER)
                .optional();
    }

    List<Payout> ofMerchant(long merchantId, int limit) {
        return jdbc.sql("""
                select * from merchant_payout where merchant_id = :merchant order by requested_at desc limit :limit""")
                .param("merchant", merchantId).param("limit", limit).query(MAPPER).list();
    }

    private static String requestHash(String currency, long amountMinor, String destination) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((currency + "\n" + amountMinor + "\n"
                    + destination).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
