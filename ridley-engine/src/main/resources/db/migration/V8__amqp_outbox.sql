-- The transactional outbox of the RabbitMQ transport: one row per task of an amqp stage, written
-- in the transaction that creates the task. A relay leases unpublished rows (FOR UPDATE SKIP
-- LOCKED, so relays on several nodes never take the same row), publishes them with publisher
-- confirms and then sets published_at. A relay that died between the publish and the mark leaves
-- a lease that runs out, and the row is published again (a duplicate the engine refuses as stale).
-- Rows of tasks that ended are deleted by the sweepers; the task row stays the truth.
create table amqp_outbox (
    task_id       uuid        primary key,
    pipeline      text        not null,
    stage         text        not null,
    created_at    timestamptz not null,
    leased_until  timestamptz,
    published_at  timestamptz,
    publishes     integer     not null default 0
) with (fillfactor = 50);
-- Room on each page: a lease rewrites its rows in place (a HOT update: no indexed column changes).

-- What a relay looks for: the unpublished rows of a stage.
create index amqp_outbox_unpublished on amqp_outbox (pipeline, stage, created_at) where published_at is null;
-- What a relay looks for across the stages without an in-flight limit, oldest first.
create index amqp_outbox_unpublished_any on amqp_outbox (created_at) where published_at is null;
-- What maxInFlight counts: the published rows of a stage (their tasks' status decides).
create index amqp_outbox_published on amqp_outbox (pipeline, stage) where published_at is not null;
