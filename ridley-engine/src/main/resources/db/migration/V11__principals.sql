-- Authentication: a client searches only the processes whose user it is, so the search by user
-- (newest first, as every search pages) is one index range, not a filter over all processes.
create index process_user on process (user_name, id) where user_name is not null;

-- Who paused or resumed a stage last (the principal, when authentication is on).
alter table stage_pause add column changed_by text;

-- The principal that started a process, when it is not its user: a front end that starts
-- processes for its own users (onBehalfOf) reads them back by it. Never updated, so the index
-- does not cost the hot path its HOT updates.
alter table process add column started_by text;
create index process_started_by on process (started_by, id) where started_by is not null;
