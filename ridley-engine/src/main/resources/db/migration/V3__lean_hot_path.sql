-- The hot path (claim, report) measured with ridley-bench; see docs/PERFORMANCE.md.

-- Journal rows are written only by transitions that hold their process's row lock, in the
-- transaction that changes the process. The foreign key re-checked that with a lookup and a row
-- lock per event row, four rows per stage transition: the most expensive statement of a
-- transition. The code keeps the invariant; the database no longer re-checks it.
alter table journal drop constraint journal_process_id_fkey;

-- A poll names several stages and takes their oldest visible tasks: with only (stage, visible_at)
-- that sorted the whole backlog on every claim. In visible_at order, a claim reads just the rows
-- it takes.
create index task_ready_any on task (visible_at) where status = 'QUEUED';
