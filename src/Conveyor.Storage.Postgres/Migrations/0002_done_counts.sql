-- Conveyor PostgreSQL store, schema version 2: counts of finished jobs per state, kept by statement triggers on
-- jobs_done, so stats and pruning read 48 small rows instead of counting a table of up to a million rows. Spread over
-- slots (one picked at random per statement), so settles on many nodes do not queue on one row.

CREATE TABLE {schema}.done_counts (
    slot  smallint NOT NULL,
    state smallint NOT NULL,
    n     bigint   NOT NULL DEFAULT 0,
    PRIMARY KEY (slot, state)
);
INSERT INTO {schema}.done_counts (slot, state) SELECT s, st FROM generate_series(0, 15) s, generate_series(5, 7) st;
UPDATE {schema}.done_counts d SET n = c.n
FROM (SELECT state, count(*) AS n FROM {schema}.jobs_done GROUP BY state) c
WHERE d.slot = 0 AND d.state = c.state;

CREATE FUNCTION {schema}.done_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s smallint := floor(random() * 16);
BEGIN
    UPDATE {schema}.done_counts d SET n = d.n + c.n
    FROM (SELECT state, count(*) AS n FROM added GROUP BY state) c
    WHERE d.slot = s AND d.state = c.state;
    RETURN NULL;
END $$;

CREATE FUNCTION {schema}.done_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s smallint := floor(random() * 16);
BEGIN
    UPDATE {schema}.done_counts d SET n = d.n - c.n
    FROM (SELECT state, count(*) AS n FROM removed GROUP BY state) c
    WHERE d.slot = s AND d.state = c.state;
    RETURN NULL;
END $$;

CREATE FUNCTION {schema}.done_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {schema}.done_counts SET n = 0;
    RETURN NULL;
END $$;

CREATE TRIGGER done_counts_insert AFTER INSERT ON {schema}.jobs_done
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_counts_added();
CREATE TRIGGER done_counts_delete AFTER DELETE ON {schema}.jobs_done
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_counts_removed();
CREATE TRIGGER done_counts_truncate AFTER TRUNCATE ON {schema}.jobs_done
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_counts_truncated();
