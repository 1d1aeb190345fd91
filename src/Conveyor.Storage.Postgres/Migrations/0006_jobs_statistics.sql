-- Conveyor PostgreSQL store, schema version 6: the hot table's statistics kept fresh (docs/postgres.md, "Schema").

-- The hot table swings from empty to a large backlog within seconds. With the default thresholds (50 rows + 20 % of the
-- table) autoanalyze waits for a fifth of the table to change, and until a table's first ANALYZE the planner may read a
-- whole queue through the (queue, state) index and sort it instead of walking the fetch index (measured: 217 ms against
-- 53 ms for a fetch of 1,000 from a queue of 50,000). Analyze after 1,000 rows + 2 % changed, vacuum after 1,000 + 5 %
-- dead rows (every job's lease and ack leave one), so both follow the backlog instead of lagging a fifth behind it.
ALTER TABLE {schema}.jobs SET (
    autovacuum_analyze_threshold = 1000,
    autovacuum_analyze_scale_factor = 0.02,
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_scale_factor = 0.05
);
