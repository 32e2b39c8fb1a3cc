-- Authentication: a client searches only the processes whose user it is, so the search by user
-- (newest first, as every search pages) is one index range, not a filter over all processes.
create index process_user on process (user_name, id) where user_name is not null;

-- Who paused or resumed a stage last (the principal, when authentication is on).
alter table stage_pause add column changed_by text;
