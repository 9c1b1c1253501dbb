-- One order as pgbench runs it: placed (a key reserved, the order and its payment inserted), paid (payment and
-- order updated, an event written), delivered (event taken, key sold, order delivered). Three durable commits,
-- nine single-row writes: far less than Kami writes, and no HTTP at all.
\set key random(1, 1000000)
\set no random(1, 2000000000)
begin;
update minimal_key set status = 1, order_no = :no where id = :key;
insert into minimal_order values (:no, :key, 0, 100) on conflict do nothing;
insert into minimal_payment values (:no, :no, 0, 100) on conflict do nothing;
commit;
begin;
update minimal_payment set status = 1 where payment_no = :no;
update minimal_order set status = 1 where order_no = :no;
insert into minimal_outbox values (:no, 'paid') on conflict do nothing;
commit;
begin;
delete from minimal_outbox where id = :no;
update minimal_key set status = 2 where id = :key;
update minimal_order set status = 2 where order_no = :no;
commit;
