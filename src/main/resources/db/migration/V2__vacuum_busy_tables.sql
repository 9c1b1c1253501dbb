-- Every order updates these rows several times. With the default thresholds (20% of the table) a large vault
-- collects tens of thousands of dead row versions before autovacuum looks at it, and every index scan steps over
-- them; vacuum these tables after a fixed number of changes instead, without cost-based throttling.
alter table vault_key set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
alter table customer_order set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
alter table payment set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
alter table sandbox_trade set (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
