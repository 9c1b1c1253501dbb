-- Core shop schema. Each module owns its tables; no module reads another module's tables.

-- platform: data keysets, each encrypted by the master key.
create table platform_keyset (
    name             text primary key,
    encrypted_keyset text        not null,
    created_at       timestamptz not null
);

-- catalog
create table merchant (
    id         bigserial primary key,
    name       text        not null unique,
    created_at timestamptz not null
);

create table product (
    id          bigserial primary key,
    merchant_id bigint      not null references merchant (id),
    name        text        not null,
    description text        not null default '',
    price_minor bigint      not null check (price_minor > 0),
    currency    char(3)     not null,
    created_at  timestamptz not null
);

-- inventory: the key vault. Keys are stored only as ciphertext; uniqueness goes through a keyed hash.
create table vault_key (
    id          bigserial primary key,
    product_id  bigint      not null,
    status      text        not null check (status in ('AVAILABLE', 'RESERVED', 'SOLD')),
    ciphertext  bytea       not null,
    blind_index bytea       not null,
    order_no    text,
    created_at  timestamptz not null,
    reserved_at timestamptz,
    sold_at     timestamptz,
    constraint vault_key_unique_per_product unique (product_id, blind_index),
    constraint vault_key_order_matches_status check ((status = 'AVAILABLE') = (order_no is null))
);
create index vault_key_available on vault_key (product_id, id) where status = 'AVAILABLE';
create index vault_key_by_order on vault_key (order_no) where order_no is not null;
create index vault_key_status_counts on vault_key (product_id, status);

-- ordering
create table customer_order (
    order_no        text primary key,
    product_id      bigint      not null,
    quantity        int         not null check (quantity between 1 and 100),
    amount_minor    bigint      not null check (amount_minor > 0),
    currency        char(3)     not null,
    email           text        not null,
    channel         text        not null,
    payment_no      text        not null unique,
    status          text        not null check (status in
                        ('PENDING_PAYMENT', 'PAID', 'DELIVERED', 'EXPIRED', 'NEEDS_REFUND')),
    idempotency_key text        not null unique,
    request_hash    text        not null,
    created_at      timestamptz not null,
    expires_at      timestamptz not null,
    paid_at         timestamptz,
    delivered_at    timestamptz,
    status_reason   text
);
create index customer_order_pending_expiry on customer_order (expires_at) where status = 'PENDING_PAYMENT';
create index customer_order_paid on customer_order (paid_at) where status = 'PAID';
create index customer_order_needs_refund on customer_order (paid_at) where status = 'NEEDS_REFUND';

-- payment
create table payment (
    payment_no       text primary key,
    order_no         text        not null unique,
    channel          text        not null,
    amount_minor     bigint      not null check (amount_minor > 0),
    currency         char(3)     not null,
    status           text        not null check (status in ('PENDING', 'SUCCEEDED')),
    channel_trade_no text,
    created_at       timestamptz not null,
    succeeded_at     timestamptz,
    constraint payment_channel_trade_unique unique (channel, channel_trade_no),
    constraint payment_trade_no_when_succeeded check ((status = 'SUCCEEDED') = (channel_trade_no is not null))
);

-- Every notify as received, with the verdict: accepted, duplicate, or rejected and why.
create table notify_journal (
    id          bigserial primary key,
    channel     text        not null,
    received_at timestamptz not null,
    payment_no  text,
    verdict     text        not null check (verdict in ('ACCEPTED', 'DUPLICATE', 'REJECTED')),
    reason      text,
    signature   text,
    raw_body    text        not null
);
create index notify_journal_payment on notify_journal (payment_no);

-- The sandbox PSP's own books: what it was asked to collect, what the payer paid, and its notify attempts.
create table sandbox_trade (
    payment_no        text primary key,
    amount_minor      bigint      not null,
    currency          char(3)     not null,
    return_url        text        not null,
    status            text        not null check (status in ('CREATED', 'PAID')),
    channel_trade_no  text unique,
    created_at        timestamptz not null,
    paid_at           timestamptz,
    notify_state      text        not null check (notify_state in ('NONE', 'PENDING', 'ACKNOWLEDGED')),
    notify_attempts   int         not null default 0,
    next_notify_at    timestamptz,
    last_notify_error text
);
create index sandbox_trade_notify_due on sandbox_trade (next_notify_at) where notify_state = 'PENDING';

-- demo: one row that records whether the demo shop was seeded, so it is seeded once per database.
create table demo_seed (
    seeded boolean not null
);
insert into demo_seed (seeded) values (false);
