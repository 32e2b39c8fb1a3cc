-- A stage transition rewrites its process row (stage, lastSeen, current task). PostgreSQL can do
-- that in place on the same page (a HOT update: no new entry in any index) only when no indexed
-- column changes and the page has room. So:

-- lastSeen is no longer indexed. "Seen before" searches filter it among the rows the other
-- conditions select; the sweeper's timers never read it.
drop index process_last_seen;

-- Parked processes are found by pipeline; the stage that parked them and when are read from the
-- rows, of which there are few (parking is the exception).
drop index process_parked;
create index process_parked on process (pipeline) where status = 'PARKED';

-- Leave room on each page for the new versions of its rows.
alter table process set (fillfactor = 70);

-- One journal row per transition instead of one per event: a stage transition journals three or
-- four events (task completed, process routed, task enqueued, ...), all of one process in one
-- transaction. The first is the row's own columns, the others follow in order in "more", as
-- objects {at, type, taskId, stage, attempt, data}. Fewer rows: fewer heap and index inserts.
alter table journal add column more jsonb;

-- Every event keeps a sequence number of its own: rows take every 8th number and the events in
-- "more" (at most 7) the ones in between, so seq still orders all events and is unique.
alter sequence journal_seq_seq increment by 8;

-- Every event, one row each, ordered by seq; readers use this, never the table. row_seq is the
-- row's own seq, for range conditions that should use the table's primary key.
create view journal_event as
    select seq, seq as row_seq, process_id, at, type, task_id, stage, attempt, data
    from journal
    union all
    select j.seq + m.n, j.seq, j.process_id, (m.e->>'at')::timestamptz, m.e->>'type', (m.e->>'taskId')::uuid,
           m.e->>'stage', (m.e->>'attempt')::integer, m.e->'data'
    from journal j cross join lateral jsonb_array_elements(j.more) with ordinality as m(e, n)
    where j.more is not null;
