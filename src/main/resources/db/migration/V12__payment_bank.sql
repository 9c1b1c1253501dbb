-- Online banking: a payment of a method with a bank choice records the payer's bank, which is a payment path of
-- its own (account/method/bank) with its own circuit breaker and switch. Null for methods without banks.
alter table payment add column bank text;

-- The sandbox PSP keeps the bank on its trade too, as a bank gateway would.
alter table sandbox_trade add column bank text;
