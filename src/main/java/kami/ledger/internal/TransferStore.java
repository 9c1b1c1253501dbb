package kami.ledger.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import kami.ledger.AccountEntry;
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

    /** Inserts the transfers of {@link #withRows}; a statement that uses it goes on with a select. */
    private static final String INSERT_TRANSFERS = """
            with inserted as (
            insert into ledger_transfer (transfer_id, debit_account_id, credit_account_id, debit_shard_id,
                credit_shard_id, amount_minor, currency, status, pending_id, timeout_seconds, expires_at,
                reference, created_at)
            select u.transfer_id, u.debit_account_id, u.credit_account_id, u.debit_shard_id, u.credit_shard_id,
                   u.amount_minor, u.currency, u.status, u.pending_id, u.timeout_seconds,
                   timestamptz 'epoch' + u.expires_at_micros * interval '1 microsecond', u.reference, :now
            from unnest(cast(:transferIds as text[]), cast(:debitAccountIds as bigint[]),
                        cast(:creditAccountIds as bigint[]), cast(:debitRowIds as bigint[]),
                        cast(:creditRowIds as bigint[]), cast(:amounts as bigint[]), cast(:currencies as text[]),
                        cast(:statuses as text[]), cast(:pendingIds as bigint[]),
                        cast(:timeouts as bigint[]), cast(:expiresAtMicros as bigint[]),
                        cast(:references as text[]))
                 with ordinality as u (transfer_id, debit_account_id, credit_account_id, debit_shard_id,
                     credit_shard_id, amount_minor, currency, status, pending_id, timeout_seconds,
                     expires_at_micros, reference, position)
            order by u.position
            on conflict do nothing
            returning id, pending_id, expires_at
            ), opened as (
                insert into ledger_hold_expiry (hold_id, expires_at)
                select id, expires_at from inserted where expires_at is not null
            ), resolved as (
                delete from ledger_hold_expiry
                where hold_id in (select pending_id from inserted where pending_id is not null)
            )
            """;

    private final JdbcClient jdbc;

    TransferStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Inserts the rows, in transfer id order so that two transactions inserting overlapping ids wait for each
     * other rather than deadlock; a row whose transfer id (or, for a resolution, whose hold) is taken is skipped.
     * A hold with a timeout is entered in {@code ledger_hold_expiry}, and a resolution takes its hold out of it.
     * Returns how many rows were inserted.
     */
    int insertAll(List<NewRow> rows, Instant now) {
        return withRows(jdbc.sql(INSERT_TRANSFERS + "select count(*) from inserted"), rows, now)
                .query(Integer.class).single();
    }

    /** Whether a lone transfer's row was inserted, and the balance rows it locked. */
    record InsertedAndLocked(boolean inserted, Map<Long, Balance> balances) {
    }

    /**
     * {@link #insertAll} for one row and {@link #lockBalances} in one statement: one round trip less, and the
     * locks are taken no earlier than in two statements, since the insert locks no balance row. A row whose
     * transfer id is taken is not inserted, and the balance rows are locked all the same.
     */
    InsertedAndLocked insertAndLock(NewRow row, Collection<Long> rowIds, Instant now) {
        Map<Long, Balance> balances = new HashMap<>();
        boolean[] inserted = {false};
        withRows(jdbc.sql(INSERT_TRANSFERS + """
                select id, debits_posted, credits_posted, debits_pending, credits_pending,
                       debits_must_not_exceed_credits, credits_must_not_exceed_debits,
                       (select count(*) from inserted) as inserted
                from ledger_account where id in (:ids)
                order by id
                for no key update"""), List.of(row), now)
                .param("ids", rowIds)
                .query((rs, n) -> {
                    inserted[0] = rs.getInt("inserted") == 1;
                    return balances.put(rs.getLong("id"), balance(rs));
                })
                .list();
        if (balances.size() != rowIds.size()) {
            throw new IllegalStateException("balance rows missing among " + rowIds);
        }
        return new InsertedAndLocked(inserted[0], balances);
    }

    /**
     * A lone transfer between accounts without a balance limit, which nothing can refuse once its row is in: inserts
     * the row and adds the amount to both balance rows in one statement, one round trip less than
     * {@link #insertAndLock} and {@link #writeBalances}. The balance rows are locked in id order first, as
     * {@link #lockBalances} does, so that transfers over the same rows queue and never wait on each other in a
     * cycle; the amounts are added to the rows as they are when locked. A row whose transfer id is taken is not
     * inserted and moves nothing. Returns whether the row was inserted.
     */
    boolean insertAndMove(NewRow row, Instant now) {
        boolean[] inserted = {false};
        int moved = withRows(jdbc.sql(INSERT_TRANSFERS + """
                , locked as (
                    select id from ledger_account
                    where id in (:debitRowId, :creditRowId) and exists (select 1 from inserted)
                    order by id
                    for no key update
                ), moved as (
                    update ledger_account a
                    set debits_posted = a.debits_posted
                            + case when a.id = :debitRowId and not :pending then :amount else 0 end,
                        credits_posted = a.credits_posted
                            + case when a.id = :creditRowId and not :pending then :amount else 0 end,
                        debits_pending = a.debits_pending
                            + case when a.id = :debitRowId and :pending then :amount else 0 end,
                        credits_pending = a.credits_pending
                            + case when a.id = :creditRowId and :pending then :amount else 0 end,
                        version = a.version + 1, updated_at = :now
                    from locked
                    where a.id = locked.id
                    returning a.id
                )
                select (select count(*) from inserted) as inserted, (select count(*) from moved) as moved"""),
                List.of(row), now)
                .param("debitRowId", row.debitRowId()).param("creditRowId", row.creditRowId())
                .param("amount", row.amountMinor()).param("pending", row.status() == TransferStatus.PENDING)
                .query((rs, n) -> {
                    inserted[0] = rs.getInt("inserted") == 1;
                    return rs.getInt("moved");
                })
                .single();
        if (inserted[0] && moved != 2) {
            throw new IllegalStateException("balance rows missing among " + row.debitRowId() + ", "
                    + row.creditRowId() + " for transfer " + row.transferId());
        }
        return inserted[0];
    }

    /** Binds the rows to {@link #INSERT_TRANSFERS}, in transfer id order. */
    private static JdbcClient.StatementSpec withRows(JdbcClient.StatementSpec statement, List<NewRow> rows,
            Instant now) {
        List<NewRow> sorted = rows.stream().sorted(Comparator.comparing(NewRow::transferId)).toList();
        return statement
                .param("transferIds", sorted.stream().map(NewRow::transferId).toArray(String[]::new))
                .param("debitAccountIds", sorted.stream().mapToLong(NewRow::debitAccountId).toArray())
                .param("creditAccountIds", sorted.stream().mapToLong(NewRow::creditAccountId).toArray())
                .param("debitRowIds", sorted.stream().mapToLong(NewRow::debitRowId).toArray())
                .param("creditRowIds", sorted.stream().mapToLong(NewRow::creditRowId).toArray())
                .param("amounts", sorted.stream().mapToLong(NewRow::amountMinor).toArray())
                .param("currencies", sorted.stream().map(NewRow::currency).toArray(String[]::new))
                .param("statuses", sorted.stream().map(r -> r.status().name()).toArray(String[]::new))
                .param("pendingIds", sorted.stream().map(NewRow::pendingId).toArray(Long[]::new))
                .param("timeouts", sorted.stream().map(NewRow::timeoutSeconds).toArray(Long[]::new))
                .param("expiresAtMicros", sorted.stream().map(r -> r.expiresAt() == null ? null
                        : ChronoUnit.MICROS.between(Instant.EPOCH, r.expiresAt())).toArray(Long[]::new))
                .param("references", sorted.stream().map(NewRow::reference).toArray(String[]::new))
                .param("now", Timestamp.from(now));
    }

    /** The recorded transfers among these ids, by transfer id. */
    Map<String, Transfer> findAll(Collection<String> transferIds) {
        Map<String, Transfer> found = new HashMap<>();
        jdbc.sql(SELECT + "where t.transfer_id in (:ids)").param("ids", transferIds).query(TransferStore::row)
                .list().forEach(row -> found.put(row.transfer().transferId(), row.transfer()));
        return found;
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
                select t.transfer_id from ledger_hold_expiry e join ledger_transfer t on t.id = e.hold_id
                where e.expires_at <= :now
                order by e.expires_at
                limit :limit""")
                .param("now", Timestamp.from(now)).param("limit", limit).query(String.class).list();
    }

    /**
     * The account's transfers, newest first, with the posted credit balance after each. The running sum is taken
     * over the account's whole history in order of insert (the ledger's sequence), so a page costs a scan of the
     * account's transfers: fine for statements read page by page, not for a hot account's millions of rows.
     */
    List<AccountEntry> history(long accountId, @Nullable Long beforeSequence, int limit) {
        return jdbc.sql("""
                select * from (
                    select t.id, t.transfer_id, t.debit_account_id, t.credit_account_id, t.amount_minor, t.currency,
                           t.status, p.transfer_id as pending_transfer_id, t.reference, t.created_at,
                           sum(case when t.status <> 'POSTED' then 0
                                    when t.credit_account_id = :account then t.amount_minor
                                    else -t.amount_minor end) over (order by t.id) as credit_balance_after
                    from ledger_transfer t
                    left join ledger_transfer p on p.id = t.pending_id
                    where t.debit_account_id = :account or t.credit_account_id = :account
                ) h
                where h.id < :before
                order by h.id desc
                limit :limit""")
                .param("account", accountId)
                .param("before", beforeSequence == null ? Long.MAX_VALUE : beforeSequence)
                .param("limit", limit)
                .query((rs, n) -> {
                    boolean credit = rs.getLong("credit_account_id") == accountId;
                    return new AccountEntry(rs.getLong("id"), rs.getString("transfer_id"),
                            credit ? AccountEntry.Side.CREDIT : AccountEntry.Side.DEBIT,
                            credit ? rs.getLong("debit_account_id") : rs.getLong("credit_account_id"),
                            rs.getLong("amount_minor"), rs.getString("currency"),
                            TransferStatus.valueOf(rs.getString("status")), rs.getString("pending_transfer_id"),
                            rs.getString("reference"), rs.getTimestamp("created_at").toInstant(),
                            rs.getLong("credit_balance_after"));
                })
                .list();
    }

    /**
     * Locks balance rows in ascending id order, the one order every transaction uses, so that transfers
     * crossing the same accounts wait for each other instead of deadlocking. The lock is the one an update of
     * non-key columns takes, so it does not wait for key-share locks (such as a new resolution's on its hold).
     */
    Map<Long, Balance> lockBalances(Collection<Long> rowIds) {
        Map<Long, Balance> balances = new HashMap<>();
        jdbc.sql("""
                select id, debits_posted, credits_posted, debits_pending, credits_pending,
                       debits_must_not_exceed_credits, credits_must_not_exceed_debits
                from ledger_account where id in (:ids)
                order by id
                for no key update""")
                .param("ids", rowIds)
                .query((rs, n) -> balances.put(rs.getLong("id"), balance(rs))).list();
        if (balances.size() != rowIds.size()) {
            throw new IllegalStateException("balance rows missing among " + rowIds);
        }
        return balances;
    }

    /** Writes balance rows in one statement; they are locked by {@link #lockBalances}. */
    void writeBalances(Map<Long, Balance> balances, Instant now) {
        List<Map.Entry<Long, Balance>> rows = List.copyOf(balances.entrySet());
        int updated = jdbc.sql("""
                update ledger_account a
                set debits_posted = v.debits_posted, credits_posted = v.credits_posted,
                    debits_pending = v.debits_pending, credits_pending = v.credits_pending,
                    version = a.version + 1, updated_at = :now
                from unnest(cast(:ids as bigint[]), cast(:debitsPosted as bigint[]),
                            cast(:creditsPosted as bigint[]), cast(:debitsPending as bigint[]),
                            cast(:creditsPending as bigint[]))
                     as v (id, debits_posted, credits_posted, debits_pending, credits_pending)
                where a.id = v.id""")
                .param("ids", rows.stream().mapToLong(Map.Entry::getKey).toArray())
                .param("debitsPosted", rows.stream().mapToLong(e -> e.getValue().debitsPostedMinor()).toArray())
                .param("creditsPosted", rows.stream().mapToLong(e -> e.getValue().creditsPostedMinor()).toArray())
                .param("debitsPending", rows.stream().mapToLong(e -> e.getValue().debitsPendingMinor()).toArray())
                .param("creditsPending", rows.stream().mapToLong(e -> e.getValue().creditsPendingMinor()).toArray())
                .param("now", Timestamp.from(now)).update();
        if (updated != rows.size()) {
            throw new IllegalStateException("expected to write " + rows.size() + " balance rows, wrote " + updated);
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
