-- Terminal-state notifications (a pipeline's `notify`): the transaction that ends a process writes
-- one row here when the pipeline asks to hear of that end, so an acknowledged end is never without
-- its notification. The server's delivery loop claims due rows (FOR UPDATE SKIP LOCKED, so nodes
-- share the work), POSTs the process to the URL, and deletes the row once the receiver answered
-- 2xx; a failure moves due_at back by an exponential backoff, and after the last attempt the row
-- stays as DEAD, for an operator to see.
create table notification (
    id          uuid        primary key,
    process_id  uuid        not null,
    pipeline    text        not null,
    status      text        not null,
    url         text        not null,
    created_at  timestamptz not null,
    due_at      timestamptz not null,
    attempts    int         not null default 0,
    state       text        not null default 'PENDING' check (state in ('PENDING', 'DEAD')),
    last_error  text
);

-- The delivery loop's claim reads only the pending rows, in due order.
create index notification_due on notification (due_at) where state = 'PENDING';
create index notification_process on notification (process_id);
