package kami.ledger.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kami.ledger.BalanceLimit;
import kami.ledger.Transfer;
import kami.ledger.TransferStatus;
import kami.ledger.internal.domain.Balance;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Transfer rows (insert-only) and the running balances of account rows, locked in id order. */
@Component
class TransferStore {

    /** A transfer row as the ledger needs it internally: with row ids of the balance rows it touched. */
    record Row(long id, Transfer transfer, long debitRowId, long creditRowId) {
    }

    /** A new transfer row. */
    record NewRow(String transferId, long debitAccountId, long creditAccountId, long debitRowId, long creditRowId,
            long amountMinor, String currency, TransferStatus status, @Nullable Long pendingId,
            @Nullable Long timeoutSeconds, @Nullable Instant expiresAt, @Nullable String reference,
            Instant createdAt) {
    }

    private static final String SELECT = """
            select t.id, t.transfer_id, t.debit_account_id, t.credit_account_id, t.debit_shard_id,
                   t.credit_shard_id, t.amount_minor, t.currency, t.status, p.transfer_id as pending_transfer_id,
                   t.timeout_seconds, t.expires_at, t.reference, t.created_at, r.status as resolution
            from ledger_transfer t
            left join ledger_transfer p on p.id = t.pending_id
            left join ledger_transfer r on r.pending_id = t.id
            """;

    private final JdbcClient jdbc;

    TransferStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the row unless its transfer id (or, for a resolution, its hold) is taken; empty when it was. */
    Optional<Long> insert(NewRow row) {
        return jdbc.sql("""
                insert into ledger_transfer (transfer_id, debit_account_id, credit_account_id, debit_shard_id,
                    credit_shard_id, amount_minor, currency, status, pending_id, timeout_seconds, expires_at,
                    reference, created_at)
                values (:transferId, :debitAccountId, :creditAccountId, :debitRowId, :creditRowId, :amountMinor,
                    :currency, :status, :pendingId, :timeoutSeconds, :expiresAt, :reference, :createdAt)
                on conflict do nothing
                returning id""")
                .param("transferId", row.transferId()).param("debitAccountId", row.debitAccountId())
                .param("creditAccountId", row.creditAccountId()).param("debitRowId", row.debitRowId())
                .param("creditRowId", row.creditRowId()).param("amountMinor", row.amountMinor())
                .param("currency", row.currency()).param("status", row.status().name())
                .param("pendingId", row.pendingId(), java.sql.Types.BIGINT)
                .param("timeoutSeconds", row.timeoutSeconds(), java.sql.Types.BIGINT)
                .param("expiresAt", row.expiresAt() == null ? null
                        : java.time.OffsetDateTime.ofInstant(row.expiresAt(), java.time.ZoneOffset.UTC),
                        java.sql.Types.TIMESTAMP_WITH_TIMEZONE)
                .param("reference", row.reference(), java.sql.Types.VARCHAR)
                .param("createdAt", Timestamp.from(row.createdAt()))
                .query(Long.class).optional();
    }

    Optional<Row> find(String transferId) {
        return jdbc.sql(SELECT + "where t.transfer_id = :id").param("id", transferId).query(TransferStore::row)
                .optional();
    }

    /**
     * The hold with this transfer id, its row locked so that its resolution and the sweeper's are serialised;
     * with {@code skipLocked}, empty when another transaction holds it.
     */
    Optional<Row> lockHold(String transferId, boolean skipLocked) {
        Optional<Long> id = jdbc.sql("select id from ledger_transfer where transfer_id = :id for update"
                + (skipLocked ? " skip locked" : "")).param("id", transferId).query(Long.class).optional();
        return id.isEmpty() ? Optional.empty() : find(transferId);
    }

    /** The resolution (posting or voiding) of a hold, if there is one. */
    Optional<TransferStatus> resolutionOf(long holdId) {
        return jdbc.sql("select status from ledger_transfer where pending_id = :id").param("id", holdId)
                .query(String.class).optional().map(TransferStatus::valueOf);
    }

    /** Transfer ids of unresolved holds expired at {@code now}, oldest first. */
    List<String> expiredHolds(Instant now, int limit) {
        return jdbc.sql("""
                select t.transfer_id from ledger_transfer t
                where t.status = 'PENDING' and t.expires_at <= :now
                  and not exists (select 1 from ledger_transfer r where r.pending_id = t.id)
                order by t.expires_at
                limit :limit""")
                .param("now", Timestamp.from(now)).param("limit", limit).query(String.class).list();
    }

    /**
     * Locks two balance rows in ascending id order, the one order every transaction uses, so that transfers
     * crossing the same accounts wait for each other instead of deadlocking. The lock is the one an update of
     * non-key columns takes: a plain FOR UPDATE would also wait for the key-share locks that the foreign keys of
     * other transactions' new transfer rows hold on the same accounts, in whatever order they were inserted.
     */
    Map<Long, Balance> lockBalances(long firstRowId, long secondRowId) {
        Map<Long, Balance> balances = new HashMap<>();
        jdbc.sql("""
                select id, debits_posted, credits_posted, debits_pending, credits_pending,
                       debits_must_not_exceed_credits, credits_must_not_exceed_debits
                from ledger_account where id in (:first, :second)
                order by id
                for no key update""")
                .param("first", firstRowId).param("second", secondRowId)
                .query((rs, n) -> balances.put(rs.getLong("id"), balance(rs))).list();
        if (balances.size() != 2) {
            throw new IllegalStateException("balance rows missing: " + firstRowId + ", " + secondRowId);
        }
        return balances;
    }

    /** Writes both balance rows in one statement; they are locked by {@link #lockBalances}. */
    void writeBalances(long firstRowId, Balance first, long secondRowId, Balance second, Instant now) {
        int updated = jdbc.sql("""
                update ledger_account a
                set debits_posted = v.debits_posted, credits_posted = v.credits_posted,
                    debits_pending = v.debits_pending, credits_pending = v.credits_pending,
                    version = a.version + 1, updated_at = :now
                from (values (cast(:id1 as bigint), cast(:dp1 as bigint), cast(:cp1 as bigint),
                              cast(:dpe1 as bigint), cast(:cpe1 as bigint)),
                             (cast(:id2 as bigint), cast(:dp2 as bigint), cast(:cp2 as bigint),
                              cast(:dpe2 as bigint), cast(:cpe2 as bigint)))
                     as v (id, debits_posted, credits_posted, debits_pending, credits_pending)
                where a.id = v.id""")
                .param("id1", firstRowId).param("dp1", first.debitsPostedMinor())
                .param("cp1", first.creditsPostedMinor()).param("dpe1", first.debitsPendingMinor())
                .param("cpe1", first.creditsPendingMinor())
                .param("id2", secondRowId).param("dp2", second.debitsPostedMinor())
                .param("cp2", second.creditsPostedMinor()).param("dpe2", second.debitsPendingMinor())
                .param("cpe2", second.creditsPendingMinor())
                .param("now", Timestamp.from(now)).update();
        if (updated != 2) {
            throw new IllegalStateException("expected to write 2 balance rows, wrote " + updated);
        }
    }

    private static Balance balance(ResultSet rs) throws SQLException {
        BalanceLimit limit = rs.getBoolean("debits_must_not_exceed_credits")
                ? BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS
                : rs.getBoolean("credits_must_not_exceed_debits") ? BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS
                        : BalanceLimit.NONE;
        return new Balance(rs.getLong("debits_posted"), rs.getLong("credits_posted"), rs.getLong("debits_pending"),
                rs.getLong("credits_pending"), limit);
    }

    private static Row row(ResultSet rs, int n) throws SQLException {
        Timestamp expiresAt = rs.getTimestamp("expires_at");
        long timeout = rs.getLong("timeout_seconds");
        Long timeoutSeconds = rs.wasNull() ? null : timeout;
        String resolution = rs.getString("resolution");
        Transfer transfer = new Transfer(rs.getString("transfer_id"), rs.getLong("debit_account_id"),
                rs.getLong("credit_account_id"), rs.getLong("amount_minor"), rs.getString("currency"),
                TransferStatus.valueOf(rs.getString("status")), rs.getString("pending_transfer_id"), timeoutSeconds,
                expiresAt == null ? null : expiresAt.toInstant(), rs.getString("reference"),
                rs.getTimestamp("created_at").toInstant(),
                resolution == null ? null : TransferStatus.valueOf(resolution));
        return new Row(rs.getLong("id"), transfer, rs.getLong("debit_shard_id"), rs.getLong("credit_shard_id"));
    }
}
