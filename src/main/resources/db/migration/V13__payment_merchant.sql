-- The merchant a payment's money is for, so that booking a paid order needs no lookup of the order's product.
-- Null for payments for no merchant (wallet top-ups) and for payments created before this column.
alter table payment add column merchant_id bigint;
