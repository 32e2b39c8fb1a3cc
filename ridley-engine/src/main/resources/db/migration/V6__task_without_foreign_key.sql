-- A task row is inserted only by a transition that holds its process's row lock (a start inserts
-- the process first, in the same transaction), so a task always has its process; the code keeps
-- that invariant, as for the journal (V3). The foreign key re-checked it on every insert with a
-- lookup and a KEY SHARE lock on the process, from a plan each connection caches: planned while
-- the tables are small (a new database), that lookup is a sequential scan of the process table,
-- and it stays one for the life of the connection. Measured: one run in three drained at a third
-- of the speed, the insert of next tasks taking 0.6 ms per row (docs/PERFORMANCE.md).
alter table task drop constraint task_process_id_fkey;
