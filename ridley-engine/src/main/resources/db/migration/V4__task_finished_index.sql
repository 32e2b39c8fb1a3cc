-- The dashboard's throughput chart counts attempts finished per minute over the last minutes;
-- without this index that query reads the whole task table, which only grows.
create index task_finished on task (finished_at) where finished_at is not null;
