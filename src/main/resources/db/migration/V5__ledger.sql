-- Double-entry ledger. An account row carries running balances in minor units (TigerBeetle's model: posted and
-- pending, on both sides); a transfer row is one debit and one credit of the same amount, so every transfer
-- balances by construction. A hot account is split into shard rows (parent_id set) that carry its balance.

create table ledger_account (
    id                             bigserial primary key,
    code                           text        not null unique,
    owner                          text        not null,
    type                           text        not null check (type in ('ASSET', 'LIABILITY', 'EQUITY', 'REVENUE', 'EXPENSE')),
    currency                       char(3)     not null,
    debits_must_not_exceed_credits boolean     not null default false,
    credits_must_not_exceed_debits boolean     not null default false,
    shard_count                    int         not null default 1 check (shard_count between 1 and 64),
    parent_id                      bigint      references ledger_account (id),
    shard_index                    int,
    debits_posted                  bigint      not null default 0 check (debits_posted >= 0),
    credits_posted                 bigint      not null default 0 check (credits_posted >= 0),
    debits_pending                 bigint      not null default 0 check (debits_pending >= 0),
    credits_pending                bigint      not null default 0 check (credits_pending >= 0),
    version                        bigint      not null default 0,
    created_at                     timestamptz not null,
    updated_at                     timestamptz not null,
    constraint ledger_account_one_limit
        check (not (debits_must_not_exceed_credits and credits_must_not_exceed_debits)),
    -- The balance flags, enforced by the database as a backstop of the code's own check.
    constraint ledger_account_debits_within_credits
        check (not debits_must_not_exceed_credits or debits_posted + debits_pending <= credits_posted),
    constraint ledger_account_credits_within_debits
        check (not credits_must_not_exceed_debits or credits_posted + credits_pending <= debits_posted),
    -- A sharded account keeps its balance in its shards only; a shard is never sharded itself.
    constraint ledger_account_shard_shape
        check ((parent_id is null and shard_index is null)
            or (parent_id is not null and shard_index is not null and shard_count = 1)),
    constraint ledger_account_sharded_parent_is_empty
        check (shard_count = 1 or (debits_posted = 0 and credits_posted = 0 and debits_pending = 0
            and credits_pending = 0))
);

create unique index ledger_account_shard on ledger_account (parent_id, shard_index) where parent_id is not null;

-- status PENDING: a hold (two-phase, first phase). POSTED: a single-phase transfer, or the posting of a hold
-- (pending_id set). VOIDED: the release of a hold (pending_id set). Rows are never changed after insert.
create table ledger_transfer (
    id                bigserial primary key,
    transfer_id       text        not null unique,
    -- No foreign keys to ledger_account: each would take a key-share lock on the account row for every
    -- transfer, and on a busy account those locks pile up (multixacts) behind the balance updates. Accounts are
    -- never deleted, the ledger checks that both exist before it inserts, and reconciliation reports any
    -- transfer whose rows are missing.
    debit_account_id  bigint      not null,
    credit_account_id bigint      not null,
    debit_shard_id    bigint      not null,
    credit_shard_id   bigint      not null,
    amount_minor      bigint      not null check (amount_minor > 0),
    currency          char(3)     not null,
    status            text        not null check (status in ('PENDING', 'POSTED', 'VOIDED')),
    pending_id        bigint      unique references ledger_transfer (id),
    timeout_seconds   bigint      check (timeout_seconds > 0),
    expires_at        timestamptz,
    reference         text,
    created_at        timestamptz not null,
    constraint ledger_transfer_accounts_differ check (debit_account_id <> credit_account_id),
    constraint ledger_transfer_shards_differ check (debit_shard_id <> credit_shard_id),
    constraint ledger_transfer_void_needs_pending check (status <> 'VOIDED' or pending_id is not null),
    constraint ledger_transfer_pending_shape
        check ((status = 'PENDING' and pending_id is null)
            or (status <> 'PENDING' and timeout_seconds is null and expires_at is null)),
    constraint ledger_transfer_expiry_with_timeout check ((timeout_seconds is null) = (expires_at is null))
);

-- Holds with a timeout that are still open, for the sweeper: a row is added with the hold and removed by its
-- resolution, in the same statement that inserts the transfer rows. (An index on ledger_transfer.expires_at
-- would keep every resolved hold forever, since transfer rows never change, and each sweep would walk them all.)
create table ledger_hold_expiry (
    hold_id    bigint      primary key references ledger_transfer (id),
    expires_at timestamptz not null
);

create index ledger_hold_expiry_due on ledger_hold_expiry (expires_at);
create index ledger_transfer_debit_shard on ledger_transfer (debit_shard_id);
create index ledger_transfer_credit_shard on ledger_transfer (credit_shard_id);

-- Corrections are new transfers: no path in Kami updates or deletes a transfer, and the database refuses it.
create function ledger_transfer_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'ledger transfers are immutable (transfer %)', old.transfer_id
        using errcode = 'integrity_constraint_violation';
end;
$$;

create trigger ledger_transfer_immutable before update or delete on ledger_transfer
    for each row execute function ledger_transfer_immutable();
