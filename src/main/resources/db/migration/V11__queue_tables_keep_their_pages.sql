-- Queue tables fill and empty all the time. When vacuum finds empty pages at the end of such a table it truncates
-- them, which needs an exclusive lock on the table: every insert and every consumer then waits for it (seen as
-- VacuumTruncate waits under load). They refill within moments anyway, so keep the pages.
alter table messaging_outbox set (vacuum_truncate = false);
alter table messaging_delivery set (vacuum_truncate = false);
alter table webhook_delivery set (vacuum_truncate = false);
