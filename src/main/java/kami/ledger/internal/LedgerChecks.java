package kami.ledger.internal;

/** The reconciliation's queries; each returns the offending ids (transfer ids, account ids or currencies). */
final class LedgerChecks {

    static final String DUPLICATE_TRANSFER_IDS = """
            select transfer_id from ledger_transfer group by transfer_id having count(*) > 1 order by 1""";

    static final String HOLDS_RESOLVED_TWICE = """
            select p.transfer_id from ledger_transfer r join ledger_transfer p on p.id = r.pending_id
            group by p.transfer_id having count(*) > 1 order by 1""";

    static final String RESOLUTIONS_UNLIKE_THEIR_HOLD = """
            select r.transfer_id from ledger_transfer r join ledger_transfer p on p.id = r.pending_id
            where p.status <> 'PENDING' or r.debit_shard_id <> p.debit_shard_id
               or r.credit_shard_id <> p.credit_shard_id or r.currency <> p.currency
               or r.amount_minor > p.amount_minor or (r.status = 'VOIDED' and r.amount_minor <> p.amount_minor)
            order by 1""";

    /** Open holds with a timeout missing from the sweeper's table, and entries of resolved or unknown holds. */
    static final String HOLD_EXPIRIES_UNLIKE_OPEN_HOLDS = """
            select t.transfer_id from ledger_transfer t
            where t.status = 'PENDING' and t.expires_at is not null
              and not exists (select 1 from ledger_transfer r where r.pending_id = t.id)
              and not exists (select 1 from ledger_hold_expiry e
                              where e.hold_id = t.id and e.expires_at = t.expires_at)
            union all
            select coalesce(t.transfer_id, e.hold_id::text) from ledger_hold_expiry e
            left join ledger_transfer t on t.id = e.hold_id and t.status = 'PENDING'
            where t.id is null or exists (select 1 from ledger_transfer r where r.pending_id = e.hold_id)
            order by 1""";

    static final String TRANSFERS_ACROSS_CURRENCIES = """
            select t.transfer_id from ledger_transfer t
            left join ledger_account d on d.id = t.debit_shard_id
            left join ledger_account c on c.id = t.credit_shard_id
            where d.id is null or c.id is null
               or t.currency <> d.currency or t.currency <> c.currency
               or t.debit_account_id <> coalesce(d.parent_id, d.id)
               or t.credit_account_id <> coalesce(c.parent_id, c.id)
            order by 1""";

    /**
     * Per currency, from the transfers (what was debited to and credited to accounts of that currency) and from
     * the running balances. A transfer row is one debit and one credit, so only a row whose accounts are in
     * another currency, or a running balance changed outside a transfer, can unbalance a currency.
     */
    static final String UNBALANCED_CURRENCIES = """
            with sides as (
                select d.currency, t.amount_minor as debit_minor, 0::bigint as credit_minor
                from ledger_transfer t join ledger_account d on d.id = t.debit_shard_id where t.status = 'POSTED'
                union all
                select c.currency, 0, t.amount_minor
                from ledger_transfer t join ledger_account c on c.id = t.credit_shard_id where t.status = 'POSTED'
            )
            select currency from (
                select currency, sum(debit_minor) - sum(credit_minor) as difference from sides group by currency
                union all
                select currency, sum(debits_posted) - sum(credits_posted) from ledger_account group by currency
                union all
                select currency, sum(debits_pending) - sum(credits_pending) from ledger_account group by currency
            ) totals
            where difference <> 0
            group by currency order by 1""";

    static final String RUNNING_BALANCES_UNLIKE_TRANSFERS = """
            with open_holds as (
                select t.* from ledger_transfer t
                where t.status = 'PENDING' and not exists (select 1 from ledger_transfer r where r.pending_id = t.id)
            ), moves as (
                select debit_shard_id as row_id, amount_minor as dp, 0::bigint as cp, 0::bigint as dpe,
                       0::bigint as cpe
                from ledger_transfer where status = 'POSTED'
                union all
                select credit_shard_id, 0, amount_minor, 0, 0 from ledger_transfer where status = 'POSTED'
                union all
                select debit_shard_id, 0, 0, amount_minor, 0 from open_holds
                union all
                select credit_shard_id, 0, 0, 0, amount_minor from open_holds
            ), derived as (
                select row_id, sum(dp) as dp, sum(cp) as cp, sum(dpe) as dpe, sum(cpe) as cpe
                from moves group by row_id
            )
            select a.id::text from ledger_account a left join derived d on d.row_id = a.id
            where a.debits_posted <> coalesce(d.dp, 0) or a.credits_posted <> coalesce(d.cp, 0)
               or a.debits_pending <> coalesce(d.dpe, 0) or a.credits_pending <> coalesce(d.cpe, 0)
            order by a.id""";

    static final String BALANCE_LIMITS_BROKEN = """
            select id::text from ledger_account
            where least(debits_posted, credits_posted, debits_pending, credits_pending) < 0
               or (debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted)
               or (credits_must_not_exceed_debits and credits_posted + credits_pending > debits_posted)
            order by id""";

    private LedgerChecks() {
    }
}
