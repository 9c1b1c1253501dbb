-- settlement: the shop's money on the ledger. Each payment for an order is booked once (payment_no is the key):
-- its net goes to the merchant's pending balance and the fee to the platform; after the settlement delay the
-- rest of the net moves to the merchant's available balance. Refunds are booked once each (refund_no).

create table settlement_payment (
    payment_no          text primary key,
    order_no            text        not null,
    merchant_id         bigint      not null,
    channel             text        not null,
    currency            char(3)     not null,
    amount_minor        bigint      not null check (amount_minor > 0),
    fee_minor           bigint      not null check (fee_minor >= 0 and fee_minor <= amount_minor),
    refunded_minor      bigint      not null default 0,
    fee_returned_minor  bigint      not null default 0,
    paid_at             timestamptz not null,
    settle_at           timestamptz not null,
    settled_at          timestamptz,
    settled_minor       bigint,
    constraint settlement_payment_refunds_within_payment
        check (refunded_minor between 0 and amount_minor and fee_returned_minor between 0 and fee_minor),
    constraint settlement_payment_settled_shape check ((settled_at is null) = (settled_minor is null))
);

create index settlement_payment_due on settlement_payment (settle_at) where settled_at is null;
create index settlement_payment_merchant on settlement_payment (merchant_id, currency);

create table settlement_refund (
    refund_no            text primary key,
    payment_no           text        not null references settlement_payment (payment_no),
    amount_minor         bigint      not null check (amount_minor > 0),
    fee_minor            bigint      not null check (fee_minor >= 0),
    from_pending_minor   bigint      not null check (from_pending_minor >= 0),
    from_available_minor bigint      not null check (from_available_minor >= 0),
    from_owed_minor      bigint      not null check (from_owed_minor >= 0),
    booked_at            timestamptz not null,
    constraint settlement_refund_parts_add_up
        check (fee_minor + from_pending_minor + from_available_minor + from_owed_minor = amount_minor)
);

-- REQUESTED: the amount is held on the merchant's available balance while the operator pays it out.
create table merchant_payout (
    payout_no        text primary key,
    merchant_id      bigint      not null,
    currency         char(3)     not null,
    amount_minor     bigint      not null check (amount_minor > 0),
    status           text        not null check (status in ('REQUESTED', 'PAID', 'FAILED')),
    destination      text        not null,
    idempotency_key  text        not null,
    request_hash     text        not null,
    reference        text,
    failure_reason   text,
    requested_by     text        not null,
    requested_at     timestamptz not null,
    finished_at      timestamptz,
    constraint merchant_payout_idempotency unique (merchant_id, idempotency_key),
    constraint merchant_payout_finished_shape check ((status = 'REQUESTED') = (finished_at is null))
);

create index merchant_payout_merchant on merchant_payout (merchant_id, requested_at desc);
