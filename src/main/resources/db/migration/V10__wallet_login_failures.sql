-- wallet: failed logins per e-mail address (normalised as wallet_user.email_key, whether or not an account
-- exists, so the lockout does not reveal which addresses have one). Cleared by a successful login, purged
-- once older than the lockout window.
create table wallet_login_failure (
    id        bigserial primary key,
    email_key text        not null,
    failed_at timestamptz not null
);

create index wallet_login_failure_key on wallet_login_failure (email_key, failed_at);
