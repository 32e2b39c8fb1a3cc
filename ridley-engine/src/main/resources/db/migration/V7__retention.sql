-- Retention: ended processes (SUCCEEDED, FAILED, CANCELLED, LOST) are deleted with their tasks and
-- journal rows once they ended longer ago than their pipeline's retention, in batches, oldest
-- first. This index holds only ended processes, by pipeline and end, so finding the expired ones
-- reads just the rows a batch deletes. It costs nothing on the hot path's RUNNING to RUNNING
-- updates: status and finished_at were already indexed (process_pipeline_status, and the
-- predicate of process_deadline), so only the ending update, never a HOT one, writes to it.
create index process_ended on process (pipeline, finished_at)
    where status in ('SUCCEEDED', 'FAILED', 'CANCELLED', 'LOST');

-- The hot tables are rewritten and, with retention, deleted from all day. The defaults wait for
-- 20% of a table to be dead before vacuuming it, and then vacuum slowly (cost limit 200, delay
-- 2 ms): on a table of millions of rows that lets dead rows and bloat pile up between runs.
-- Vacuum after 1-2% instead, and let it do more work per pause so that it keeps up under churn.
-- Inserts (task, journal) also trigger a vacuum after 2%, which keeps the visibility map fresh.
alter table process set (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_limit = 2000,
    autovacuum_vacuum_cost_delay = 1);
alter table task set (
    autovacuum_vacuum_scale_factor = 0.01,
    autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_limit = 2000,
    autovacuum_vacuum_cost_delay = 1);
alter table journal set (
    autovacuum_vacuum_scale_factor = 0.02,
    autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_cost_limit = 2000,
    autovacuum_vacuum_cost_delay = 1);
