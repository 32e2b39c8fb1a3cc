-- Pause and resume per stage. A row is kept after a resume (paused = false) because its
-- changed_at is when the stage was resumed: the enqueueToPoll timer of tasks that waited through
-- the pause counts from there, not from when they were enqueued. Every node reads this table
-- (cached for about a second), so a pause holds on all nodes.
create table stage_pause (
    pipeline    text        not null,
    stage       text        not null,
    paused      boolean     not null,
    changed_at  timestamptz not null,
    primary key (pipeline, stage)
);

-- Workers seen polling a stage, by stage name (workers poll by name, not by pipeline). Written at
-- most once every few seconds per worker and stage, so the poll path stays lean.
create table stage_worker (
    stage         text        not null,
    worker        text        not null,
    last_poll_at  timestamptz not null,
    primary key (stage, worker)
);

-- Automatic replays of parked processes since the last replay by a person: maxReplays counts these.
alter table process add column auto_replays integer not null default 0;

-- Parked processes by the stage that parked them: "when did this stage last park?" and the
-- candidates for auto-replay. last_seen_at of a parked process is when it parked.
create index process_parked on process (pipeline, last_stage, last_seen_at) where status = 'PARKED';
