-- Tables for order.sql: the fewest rows a paid and delivered order can write (a key, an order, a payment, an
-- outbox event), each with a primary key and one secondary index, as Kami's hot tables have at least that.
drop table if exists minimal_key, minimal_order, minimal_payment, minimal_outbox;
create table minimal_key (id bigint primary key, status int not null, order_no bigint);
create index on minimal_key (order_no);
insert into minimal_key select g, 0, null from generate_series(1, 1000000) g;
create table minimal_order (order_no bigint primary key, key_id bigint not null, status int not null,
    amount_minor bigint not null);
create index on minimal_order (status);
create table minimal_payment (payment_no bigint primary key, order_no bigint not null, status int not null,
    amount_minor bigint not null);
create index on minimal_payment (order_no);
create table minimal_outbox (id bigint primary key, payload text not null);
vacuum analyze;
