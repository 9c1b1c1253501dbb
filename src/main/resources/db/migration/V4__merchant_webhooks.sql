-- Endpoints of the merchant's systems that receive Kami's events. The signing secret is stored encrypted.
create table webhook_endpoint (
    id                bigserial primary key,
    url               text        not null,
    secret_ciphertext bytea       not null,
    enabled           boolean     not null,
    created_at        timestamptz not null
);

-- The outbox of outgoing webhooks: one row per event and endpoint, written in the transaction that changes the
-- state the event announces, so an event is never lost and never invented.
create table webhook_delivery (
    id              bigserial primary key,
    event_id        text        not null,
    event_type      text        not null,
    endpoint_id     bigint      not null references webhook_endpoint (id),
    payload         text        not null,
    status          text        not null check (status in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        int         not null default 0,
    next_attempt_at timestamptz,
    last_attempt_at timestamptz,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz,
    constraint webhook_delivery_once_per_endpoint unique (event_id, endpoint_id)
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where status = 'PENDING';
create index webhook_delivery_by_status on webhook_delivery (status, created_at);
