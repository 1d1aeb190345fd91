-- Conveyor PostgreSQL store, schema version 5: the archive of finished jobs partitioned by state (LIST), then by when the
-- job finished (RANGE over finished_at ticks: a day per partition, 30 days for dead jobs), so retention drops whole
-- partitions instead of deleting rows.
-- Each state has a DEFAULT partition for days no partition was created for (so an insert never fails); maintenance
-- creates each state's partitions for today and the next day ahead (docs/postgres.md).
-- A unique index on a partitioned table must hold the partition key, so the unique keys finished jobs still hold (dead,
-- until completed) live in done_holders, kept by row triggers on jobs_done. done_counts now counts per state and day, so
-- a dropped partition's rows are taken off the counts exactly (DROP fires no trigger) without counting the partition.

ALTER TABLE {schema}.jobs_done RENAME TO jobs_done_v4;
ALTER TABLE {schema}.jobs_done_v4 DROP CONSTRAINT jobs_done_pkey;
DROP INDEX {schema}.jobs_done_prune;
DROP INDEX {schema}.jobs_done_seq;
DROP INDEX {schema}.jobs_done_unique;

CREATE TABLE {schema}.jobs_done (
    id               text COLLATE "C" NOT NULL,
    seq              bigint   NOT NULL,
    queue            text COLLATE "C" NOT NULL,
    type             text     NOT NULL,
    state            smallint NOT NULL CHECK (state BETWEEN 5 AND 7),
    priority         smallint NOT NULL,
    attempt          integer  NOT NULL,
    max_attempts     integer  NOT NULL,
    keep_dead        boolean  NOT NULL,
    lease_seconds    integer  NOT NULL,
    created_at       bigint   NOT NULL,
    finished_at      bigint   NOT NULL,
    done_seq         bigint   NOT NULL DEFAULT nextval('{schema}.done_seq'),
    unique_key       text,
    unique_until     bigint,
    backoff_kind     smallint NOT NULL,
    backoff_seconds  integer  NOT NULL,
    tags             text[]   NOT NULL,
    meta             bytea,
    failures         bytea,
    args             bytea    NOT NULL,
    unique_mode      smallint NOT NULL DEFAULT 0,
    unique_holder    text COLLATE "C",
    timeout_seconds  integer,
    progress_percent smallint,
    progress_message text,
    progress_at      bigint,
    result           bytea
) PARTITION BY LIST (state);

CREATE TABLE {schema}.jobs_done_completed PARTITION OF {schema}.jobs_done FOR VALUES IN (5) PARTITION BY RANGE (finished_at);
CREATE TABLE {schema}.jobs_done_dead PARTITION OF {schema}.jobs_done FOR VALUES IN (6) PARTITION BY RANGE (finished_at);
CREATE TABLE {schema}.jobs_done_cancelled PARTITION OF {schema}.jobs_done FOR VALUES IN (7) PARTITION BY RANGE (finished_at);
CREATE TABLE {schema}.jobs_done_completed_default PARTITION OF {schema}.jobs_done_completed DEFAULT;
CREATE TABLE {schema}.jobs_done_dead_default PARTITION OF {schema}.jobs_done_dead DEFAULT;
CREATE TABLE {schema}.jobs_done_cancelled_default PARTITION OF {schema}.jobs_done_cancelled DEFAULT;

-- One of each per partition: lookups by id, newest-first listing, pruning oldest first within a state.
CREATE INDEX jobs_done_id ON {schema}.jobs_done (id);
CREATE INDEX jobs_done_seq ON {schema}.jobs_done (seq);
CREATE INDEX jobs_done_prune ON {schema}.jobs_done (done_seq);

-- The keys finished jobs hold: one row per key, so a key is never held twice by finished jobs.
CREATE TABLE {schema}.done_holders (
    unique_holder text COLLATE "C" PRIMARY KEY,
    id            text COLLATE "C" NOT NULL,
    unique_until  bigint
);

CREATE FUNCTION {schema}.done_holder_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO {schema}.done_holders (unique_holder, id, unique_until) VALUES (NEW.unique_holder, NEW.id, NEW.unique_until);
    RETURN NULL;
END $$;

CREATE FUNCTION {schema}.done_holder_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {schema}.done_holders WHERE unique_holder = OLD.unique_holder AND id = OLD.id;
    RETURN NULL;
END $$;

CREATE FUNCTION {schema}.done_holder_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.unique_holder IS NOT NULL THEN
        DELETE FROM {schema}.done_holders WHERE unique_holder = OLD.unique_holder AND id = OLD.id;
    END IF;
    IF NEW.unique_holder IS NOT NULL THEN
        INSERT INTO {schema}.done_holders (unique_holder, id, unique_until) VALUES (NEW.unique_holder, NEW.id, NEW.unique_until);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION {schema}.done_holders_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {schema}.done_holders;
    RETURN NULL;
END $$;

CREATE TRIGGER done_holder_insert AFTER INSERT ON {schema}.jobs_done
    FOR EACH ROW WHEN (NEW.unique_holder IS NOT NULL) EXECUTE FUNCTION {schema}.done_holder_added();
CREATE TRIGGER done_holder_delete AFTER DELETE ON {schema}.jobs_done
    FOR EACH ROW WHEN (OLD.unique_holder IS NOT NULL) EXECUTE FUNCTION {schema}.done_holder_removed();
CREATE TRIGGER done_holder_update AFTER UPDATE OF unique_holder ON {schema}.jobs_done
    FOR EACH ROW WHEN (OLD.unique_holder IS DISTINCT FROM NEW.unique_holder) EXECUTE FUNCTION {schema}.done_holder_changed();
CREATE TRIGGER done_holders_truncate AFTER TRUNCATE ON {schema}.jobs_done
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_holders_truncated();

-- Finished jobs per state, day (finished_at / TimeSpan.TicksPerDay) and slot (one picked at random per statement, so
-- settles on many nodes do not queue on one row); a state's count is the sum of its rows, a day's rows go with its
-- partition.
DROP TABLE {schema}.done_counts;
CREATE TABLE {schema}.done_counts (
    state smallint NOT NULL,
    day   integer  NOT NULL,
    slot  smallint NOT NULL,
    n     bigint   NOT NULL,
    PRIMARY KEY (state, day, slot)
);

CREATE OR REPLACE FUNCTION {schema}.done_counts_added() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s smallint := floor(random() * 16);
BEGIN
    INSERT INTO {schema}.done_counts AS d (state, day, slot, n)
    SELECT state, (finished_at / 864000000000)::integer, s, count(*) FROM added GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (state, day, slot) DO UPDATE SET n = d.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION {schema}.done_counts_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s smallint := floor(random() * 16);
BEGIN
    INSERT INTO {schema}.done_counts AS d (state, day, slot, n)
    SELECT state, (finished_at / 864000000000)::integer, s, -count(*) FROM removed GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (state, day, slot) DO UPDATE SET n = d.n + EXCLUDED.n;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION {schema}.done_counts_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {schema}.done_counts;
    RETURN NULL;
END $$;

-- Creates the partition of state st that holds day d (days since 0001-01-01, i.e. ticks / TimeSpan.TicksPerDay) unless
-- it exists: a day for completed and cancelled jobs, 30 days (from a multiple of 30) for dead ones, named after its first
-- day. Not while the state's DEFAULT partition holds rows of that range (done_counts knows): those stay there, pruned row
-- by row, and the range is left to them (also when such a row arrives meanwhile: the attach fails and is undone).
-- Serialized by a transaction advisory lock (also taken by pruning's drops). Returns whether it created the partition.
CREATE FUNCTION {schema}.done_partition(st smallint, d integer) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    days   integer := CASE st WHEN 6 THEN 30 ELSE 1 END;
    first  integer := d - d % days;
    parent text := 'jobs_done_' || CASE st WHEN 5 THEN 'completed' WHEN 6 THEN 'dead' WHEN 7 THEN 'cancelled' END;
    part   text := parent || '_' || to_char(date '0001-01-01' + first, 'YYYYMMDD');
BEGIN
    IF to_regclass(format('{schema}.%I', part)) IS NOT NULL
        OR (SELECT COALESCE(sum(n), 0) FROM {schema}.done_counts WHERE state = st AND day >= first AND day < first + days) <> 0 THEN
        RETURN false;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('conveyor.archive.' || '{schema}'));
    -- Again from pg_class (this statement's snapshot): to_regclass's cache may not have seen another node's commit yet.
    IF EXISTS (SELECT 1 FROM pg_class WHERE relname = part AND relnamespace = '{schema}'::regnamespace) THEN
        RETURN false;
    END IF;
    BEGIN
        EXECUTE format('CREATE TABLE {schema}.%I (LIKE {schema}.jobs_done INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
        EXECUTE format('ALTER TABLE {schema}.%I ATTACH PARTITION {schema}.%I FOR VALUES FROM (%s) TO (%s)',
            parent, part, first::bigint * 864000000000, (first + days)::bigint * 864000000000);
    EXCEPTION WHEN check_violation THEN
        RETURN false;
    END;
    RETURN true;
END $$;

-- Every state's partitions from day first to day last; returns how many it created.
CREATE FUNCTION {schema}.done_partitions(first integer, last integer) RETURNS integer LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE {schema}.done_partition(st::smallint, d))::integer
    FROM generate_series(5, 7) st, generate_series(first, last) d
$$;

-- The rows of a version 4 schema: partitions for the days they finished, then the rows, then their counts and the
-- counting triggers.
SELECT {schema}.done_partition(state, day)
FROM (SELECT DISTINCT state, (finished_at / 864000000000)::integer AS day FROM {schema}.jobs_done_v4) d
ORDER BY state, day;

INSERT INTO {schema}.jobs_done (
    id, seq, queue, type, state, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, finished_at, done_seq,
    unique_key, unique_until, backoff_kind, backoff_seconds, tags, meta, failures, args, unique_mode, unique_holder,
    timeout_seconds, progress_percent, progress_message, progress_at, result)
SELECT id, seq, queue, type, state, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, finished_at, done_seq,
    unique_key, unique_until, backoff_kind, backoff_seconds, tags, meta, failures, args, unique_mode, unique_holder,
    timeout_seconds, progress_percent, progress_message, progress_at, result
FROM {schema}.jobs_done_v4;

-- Counted after the copy, so that the partitions for these days could be created while the counts were empty.
INSERT INTO {schema}.done_counts (state, day, slot, n)
SELECT state, (finished_at / 864000000000)::integer, 0, count(*) FROM {schema}.jobs_done_v4 GROUP BY 1, 2;

DROP TABLE {schema}.jobs_done_v4;

CREATE TRIGGER done_counts_insert AFTER INSERT ON {schema}.jobs_done
    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_counts_added();
CREATE TRIGGER done_counts_delete AFTER DELETE ON {schema}.jobs_done
    REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_counts_removed();
CREATE TRIGGER done_counts_truncate AFTER TRUNCATE ON {schema}.jobs_done
    FOR EACH STATEMENT EXECUTE FUNCTION {schema}.done_counts_truncated();
