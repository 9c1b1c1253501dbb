-- Reliable messaging: the outbox written in business transactions, the embedded transport's deliveries (one
-- row per message and consumer, dead letters included) and each consumer's inbox of processed message ids.

create table messaging_outbox (
    message_id   uuid        primary key,
    topic        text        not null,
    payload      text        not null,
    created_at   timestamptz not null,
    available_at timestamptz not null,
    attempts     integer     not null default 0,
    last_error   text
);

-- The relay claims due rows oldest first.
create index messaging_outbox_due on messaging_outbox (available_at);

create table messaging_delivery (
    consumer         text        not null,
    message_id       uuid        not null,
    topic            text        not null,
    payload          text        not null,
    created_at       timestamptz not null,
    attempts         integer     not null default 0,
    next_attempt_at  timestamptz not null,
    last_error       text,
    dead_lettered_at timestamptz,
    primary key (consumer, message_id)
);

create index messaging_delivery_due on messaging_delivery (consumer, next_attempt_at)
    where dead_lettered_at is null;
create index messaging_delivery_dead on messaging_delivery (consumer, dead_lettered_at)
    where dead_lettered_at is not null;

-- A message id is processed once per consumer: the row is inserted in the consumer's transaction.
create table messaging_inbox (
    consumer     text        not null,
    message_id   uuid        not null,
    processed_at timestamptz not null,
    primary key (consumer, message_id)
);

create index messaging_inbox_processed on messaging_inbox (processed_at);

-- Busy queue tables: vacuum after a fixed number of changes rather than a share of the table (as in V2).
alter table messaging_outbox set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
alter table messaging_delivery set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000);
