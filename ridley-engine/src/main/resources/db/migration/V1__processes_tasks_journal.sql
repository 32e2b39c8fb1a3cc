-- One row per process: a message's journey through a pipeline. Status and lastSeen live here so
-- "where is it?" is one indexed lookup, never a scan of the journal.
create table process (
    id            uuid primary key,
    pipeline      text        not null,
    custom_id     text,
    user_name     text,
    payload       jsonb       not null,
    status        text        not null,
    last_stage    text        not null,
    last_seen_at  timestamptz not null,
    created_at    timestamptz not null,
    deadline_at   timestamptz not null,
    finished_at   timestamptz,
    output        jsonb,
    error         jsonb,
    lost_reason   text,
    current_task  uuid,
    attempts      integer     not null default 0,
    replays       integer     not null default 0,
    park          jsonb,
    constraint process_custom_id_unique unique (pipeline, custom_id)
);

create index process_pipeline_status on process (pipeline, status, id);
create index process_last_seen on process (last_seen_at) where finished_at is null;
create index process_deadline on process (deadline_at) where finished_at is null;

-- One row per attempt at one stage. A retry is a new row with attempt + 1.
create table task (
    id                uuid primary key,
    process_id        uuid        not null references process (id),
    pipeline          text        not null,
    stage             text        not null,
    attempt           integer     not null,
    ordinal           integer     not null,
    status            text        not null,
    input             jsonb,
    enqueued_at       timestamptz not null,
    visible_at        timestamptz not null,
    stage_started_at  timestamptz not null,
    polled_at         timestamptz,
    heartbeat_at      timestamptz,
    finished_at       timestamptz,
    worker            text,
    outcome           text,
    output            jsonb,
    error             jsonb,
    trace             jsonb
);

create index task_process on task (process_id, enqueued_at);
-- The hot "ready" index: claims scan only queued tasks, oldest visible first.
create index task_ready on task (stage, visible_at) where status = 'QUEUED';
create index task_running on task (stage) where status = 'RUNNING';

-- Append-only journal: the source of the action tree.
create table journal (
    seq         bigserial primary key,
    process_id  uuid        not null references process (id),
    at          timestamptz not null,
    type        text        not null,
    task_id     uuid,
    stage       text,
    attempt     integer,
    data        jsonb
);

create index journal_process on journal (process_id, seq);
