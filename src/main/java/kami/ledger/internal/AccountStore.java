package kami.ledger.internal;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import kami.ledger.Account;
import kami.ledger.AccountType;
import kami.ledger.BalanceLimit;
import kami.ledger.NewAccount;
import kami.ledger.internal.domain.AccountRules;
import kami.ledger.internal.domain.AccountTerms;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Account rows: opening (with the shard rows of a hot account), reading balances, and the immutable terms of
 * each account, cached because every transfer needs them and they never change.
 */
@Component
class AccountStore {

    private static final String BALANCE_SUMS = """
            select a.id, a.code, a.owner, a.type, a.currency, a.debits_must_not_exceed_credits,
                   a.credits_must_not_exceed_debits, a.shard_count,
                   sum(r.debits_posted) as debits_posted, sum(r.credits_posted) as credits_posted,
                   sum(r.debits_pending) as debits_pending, sum(r.credits_pending) as credits_pending
            from ledger_account a
            join ledger_account r on r.id = a.id or r.parent_id = a.id
            where a.parent_id is null and %s
            group by a.id""";

    private final JdbcClient jdbc;
    private final ConcurrentMap<Long, AccountTerms> terms = new ConcurrentHashMap<>();

    AccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts the account and its shards unless the code is taken; empty when it was. */
    Optional<Long> insert(NewAccount account, Instant now) {
        Optional<Long> id = jdbc.sql("""
                insert into ledger_account (code, owner, type, currency, debits_must_not_exceed_credits,
                    credits_must_not_exceed_debits, shard_count, created_at, updated_at)
                values (:code, :owner, :type, :currency, :debitsLimited, :creditsLimited, :shards, :now, :now)
                on conflict (code) do nothing
                returning id""")
                .param("code", account.code()).param("owner", account.owner()).param("type", account.type().name())
                .param("currency", account.currency())
                .param("debitsLimited", account.limit() == BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS)
                .param("creditsLimited", account.limit() == BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS)
                .param("shards", account.shardCount()).param("now", Timestamp.from(now))
                .query(Long.class).optional();
        if (id.isPresent() && account.shardCount() > 1) {
            jdbc.sql("""
                    insert into ledger_account (code, owner, type, currency, parent_id, shard_index, created_at,
                        updated_at)
                    select p.code || :separator || i, p.owner, p.type, p.currency, p.id, i, :now, :now
                    from ledger_account p, generate_series(0, p.shard_count - 1) as i
                    where p.id = :id""")
                    .param("separator", String.valueOf(AccountRules.SHARD_SEPARATOR)).param("id", id.get())
                    .param("now", Timestamp.from(now)).update();
        }
        return id;
    }

    Optional<Account> byId(long id) {
        return jdbc.sql(BALANCE_SUMS.formatted("a.id = :id")).param("id", id).query(AccountStore::account)
                .optional();
    }

    Optional<Account> byCode(String code) {
        return jdbc.sql(BALANCE_SUMS.formatted("a.code = :code")).param("code", code).query(AccountStore::account)
                .optional();
    }

    /** The terms of an account (never of a shard row), or empty if there is no such account. */
    Optional<AccountTerms> terms(long id) {
        AccountTerms cached = terms.get(id);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<Account> account = byId(id);
        if (account.isEmpty()) {
            return Optional.empty();
        }
        List<Long> rows = account.get().shardCount() == 1 ? List.of(id)
                : jdbc.sql("select id from ledger_account where parent_id = :id order by shard_index")
                        .param("id", id).query(Long.class).list();
        AccountTerms loaded = new AccountTerms(id, account.get().currency(), account.get().limit(), rows);
        terms.putIfAbsent(id, loaded);
        return Optional.of(loaded);
    }

    private static Account account(ResultSet rs, int row) throws SQLException {
        BalanceLimit limit = rs.getBoolean("debits_must_not_exceed_credits")
                ? BalanceLimit.DEBITS_MUST_NOT_EXCEED_CREDITS
                : rs.getBoolean("credits_must_not_exceed_debits") ? BalanceLimit.CREDITS_MUST_NOT_EXCEED_DEBITS
                        : BalanceLimit.NONE;
        return new Account(rs.getLong("id"), rs.getString("code"), rs.getString("owner"),
                AccountType.valueOf(rs.getString("type")), rs.getString("currency"), limit,
                rs.getInt("shard_count"), rs.getLong("debits_posted"), rs.getLong("credits_posted"),
                rs.getLong("debits_pending"), rs.getLong("credits_pending"));
    }
}
