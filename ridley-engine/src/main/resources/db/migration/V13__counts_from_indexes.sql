-- The queued and running counts of GET /api/v1/pipelines/{name} and the dashboard read the partial
-- indexes of queued and running tasks, filtered by pipeline. The indexes did not carry the
-- pipeline, so every queued task cost a heap fetch: 1,000 queued tasks among 1,000,000 took 1,001
-- buffer reads and 18 ms, most of the read. Carrying it (INCLUDE, so the key and the order claims
-- use stay as they were) makes them index-only scans: 7 buffers, under 1 ms. The indexes are
-- replaced, not added to, so a write maintains as many index entries as before. Built while the
-- migration holds the task table, before the engine starts: a few hundred ms per million tasks
-- (both are partial, so only the backlog goes in, but the build reads the whole table).
drop index task_ready;
create index task_ready on task (stage, visible_at) include (pipeline) where status = 'QUEUED';

-- Also what a stage's maxInFlight check counts (stage, pipeline, status RUNNING).
drop index task_running;
create index task_running on task (stage) include (pipeline) where status = 'RUNNING';
