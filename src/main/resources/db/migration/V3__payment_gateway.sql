-- Channel accounts configured by operators. Settings hold credentials, so they are stored encrypted only
-- (AEAD with the account name as associated data: a ciphertext cannot be moved to another account).
create table channel_account (
    name                text primary key check (name ~ '^[a-z0-9][a-z0-9-]{0,39}$'),
    type                text        not null,
    enabled             boolean     not null,
    settings_ciphertext bytea       not null,
    version             bigint      not null,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

-- Payments learn their method, where the payer pays, and when the gateway asks the channel about them next.
alter table payment add column method text;
alter table payment add column pay_url text;
alter table payment add column return_url text;
alter table payment add column expires_at timestamptz;
alter table payment add column closed_at timestamptz;
alter table payment add column next_query_at timestamptz;
alter table payment add column query_attempts int not null default 0;
alter table payment add column last_query_at timestamptz;
alter table payment add column last_query_result text;
alter table payment add column alerted_at timestamptz;
alter table payment drop constraint payment_status_check;
alter table payment add constraint payment_status_check check (status in ('PENDING', 'SUCCEEDED', 'CLOSED'));
create index payment_query_due on payment (next_query_at) where status = 'PENDING';
update payment p set method = p.channel, expires_at = o.expires_at from customer_order o where o.order_no = p.order_no;
update payment set next_query_at = created_at where status = 'PENDING';
alter table payment alter column method set not null;
alter table payment alter column expires_at set not null;

-- The journal keeps the headers too (signatures travel in headers for some channels), and notifies are
-- journaled on arrival, before anything is verified, so a crash mid-way still leaves the raw notify behind.
alter table notify_journal add column headers text;
alter table notify_journal drop constraint notify_journal_verdict_check;
alter table notify_journal add constraint notify_journal_verdict_check
    check (verdict in ('RECEIVED', 'ACCEPTED', 'DUPLICATE', 'REJECTED', 'IGNORED'));

-- Manual repair (补单): who asked, when, what the channel said, and the payment before and after.
create table payment_repair (
    id              bigserial primary key,
    payment_no      text        not null references payment (payment_no),
    operator        text        not null,
    requested_at    timestamptz not null,
    status_before   text        not null,
    status_after    text        not null,
    channel_answer  text        not null
);
create index payment_repair_payment on payment_repair (payment_no);

-- The sandbox PSP can close a trade that was not paid, as real PSPs do when the merchant closes it.
alter table sandbox_trade drop constraint sandbox_trade_status_check;
alter table sandbox_trade add constraint sandbox_trade_status_check check (status in ('CREATED', 'PAID', 'CLOSED'));

-- Static switches per payment path (channel account + method), set by operators; a path without a row is on.
create table channel_path_switch (
    path       text primary key,
    enabled    boolean     not null,
    updated_at timestamptz not null
);

-- Refunds. A payment's refundable capacity is taken in the same statement that checks it, so concurrent refund
-- requests can never refund more than was paid; a refund that fails gives its amount back.
alter table payment add column refunded_minor bigint not null default 0;
alter table payment add constraint payment_refunds_within_amount
    check (refunded_minor >= 0 and refunded_minor <= amount_minor);

create table refund (
    refund_no         text primary key,
    request_no        text        not null unique,
    request_hash      text        not null,
    payment_no        text        not null references payment (payment_no),
    order_no          text        not null,
    channel           text        not null,
    amount_minor      bigint      not null check (amount_minor > 0),
    currency          char(3)     not null,
    reason            text        not null,
    status            text        not null check (status in ('PENDING', 'SUCCEEDED', 'FAILED')),
    channel_refund_no text,
    created_at        timestamptz not null,
    submitted_at      timestamptz,
    finished_at       timestamptz,
    failure_reason    text,
    next_query_at     timestamptz,
    query_attempts    int         not null default 0,
    last_query_result text,
    alerted_at        timestamptz
);
create index refund_by_payment on refund (payment_no);
create index refund_query_due on refund (next_query_at) where status = 'PENDING';

-- The sandbox PSP's refunds: idempotent by Kami's refund number, never more than the trade's amount.
create table sandbox_refund (
    refund_no    text primary key,
    payment_no   text        not null references sandbox_trade (payment_no),
    amount_minor bigint      not null check (amount_minor > 0),
    created_at   timestamptz not null
);

-- An order whose payment had to be refunded (paid after expiry, no keys left) ends REFUNDED.
alter table customer_order drop constraint customer_order_status_check;
alter table customer_order add constraint customer_order_status_check check (status in
    ('PENDING_PAYMENT', 'PAID', 'DELIVERED', 'EXPIRED', 'NEEDS_REFUND', 'REFUNDED'));
