-- An account's history (statements, wallet history) is read by account, newest first, page by page. The indexes
-- by shard row were never read by a query (reconciliation scans the whole table), so the account indexes replace
-- them rather than add to the cost of every insert.
drop index ledger_transfer_debit_shard;
drop index ledger_transfer_credit_shard;
create index ledger_transfer_debit_account on ledger_transfer (debit_account_id, id);
create index ledger_transfer_credit_account on ledger_transfer (credit_account_id, id);
