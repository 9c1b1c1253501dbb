-- Payments say what they pay for: an order, or a top-up of a user's wallet (whose number is then in order_no).
alter table payment add column purpose text not null default 'ORDER'
    check (purpose in ('ORDER', 'WALLET_TOP_UP'));

-- 'wallet' is now a built-in channel; an operator's account of that name would be shadowed by it.
do $$
begin
    if exists (select 1 from channel_account where name = 'wallet') then
        raise exception 'a channel account named "wallet" exists; rename it before upgrading (wallet is built in now)';
    end if;
end
$$;

-- Wallet users log in with e-mail and password. email_key is the address in lower case: one account per
-- address whatever its case. Only a BCrypt hash of the password is kept.
create table wallet_user (
    id            bigserial primary key,
    email         text        not null,
    email_key     text        not null unique,
    password_hash text        not null,
    created_at    timestamptz not null
);

-- Sessions: the token is shown once at login; only its SHA-256 is stored, so a leaked table opens no wallet.
create table wallet_session (
    token_hash bytea primary key,
    user_id    bigint      not null references wallet_user (id),
    created_at timestamptz not null,
    expires_at timestamptz not null
);
create index wallet_session_user on wallet_session (user_id);
create index wallet_session_expiry on wallet_session (expires_at);

-- A user's wallet per currency is a ledger account (user-{id}.wallet.{CUR}); this row finds it by user.
create table wallet_account (
    user_id           bigint  not null references wallet_user (id),
    currency          char(3) not null,
    ledger_account_id bigint  not null unique,
    primary key (user_id, currency)
);

-- Top-ups: a payment through a channel (payment.order_no = top_up_no) that credits the wallet when it succeeds.
-- Idempotent per user by the Idempotency-Key header; an unpaid one expires when its payment is closed, and a
-- payment that arrives later still credits it.
create table wallet_top_up (
    top_up_no       text primary key,
    user_id         bigint      not null references wallet_user (id),
    idempotency_key text        not null,
    request_hash    text        not null,
    amount_minor    bigint      not null check (amount_minor > 0),
    currency        char(3)     not null,
    channel         text        not null,
    payment_no      text        not null unique,
    status          text        not null check (status in ('PENDING', 'CREDITED', 'EXPIRED')),
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    credited_at     timestamptz,
    constraint wallet_top_up_key_per_user unique (user_id, idempotency_key),
    constraint wallet_top_up_credited_at check ((status = 'CREDITED') = (credited_at is not null))
);
create index wallet_top_up_pending_expiry on wallet_top_up (expires_at) where status = 'PENDING';

-- Which user paid which order payment from the wallet; one row per payment, so it is paid at most once.
create table wallet_payment (
    payment_no   text primary key,
    order_no     text        not null,
    user_id      bigint      not null references wallet_user (id),
    amount_minor bigint      not null check (amount_minor > 0),
    currency     char(3)     not null,
    transfer_id  text        not null unique,
    paid_at      timestamptz not null
);
create index wallet_payment_user on wallet_payment (user_id, paid_at);
