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
