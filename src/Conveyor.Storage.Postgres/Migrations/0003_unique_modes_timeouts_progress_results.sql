-- Conveyor PostgreSQL store, schema version 3: uniqueness modes, execution timeouts, progress, results, finish waits.

-- unique_mode: 0 until finished, 1 until started, 2 until completed (UniqueMode's numbers).
-- attempt_deadline: while active with a timeout, when the attempt must end (leased at + timeout + grace).
-- watched: someone waits for the job to finish; the statement that finishes it then notifies (see docs/postgres.md).
ALTER TABLE {schema}.jobs
    ADD COLUMN unique_mode      smallint NOT NULL DEFAULT 0,
    ADD COLUMN timeout_seconds  integer,
    ADD COLUMN attempt_deadline bigint,
    ADD COLUMN progress_percent smallint,
    ADD COLUMN progress_message text,
    ADD COLUMN progress_at      bigint,
    ADD COLUMN watched          boolean  NOT NULL DEFAULT false;

-- unique_holder on a finished job: only a dead job in until-completed mode keeps holding its key.
ALTER TABLE {schema}.jobs_done
    ADD COLUMN unique_mode      smallint NOT NULL DEFAULT 0,
    ADD COLUMN unique_holder    text COLLATE "C",
    ADD COLUMN timeout_seconds  integer,
    ADD COLUMN progress_percent smallint,
    ADD COLUMN progress_message text,
    ADD COLUMN progress_at      bigint,
    ADD COLUMN result           bytea;

CREATE UNIQUE INDEX jobs_done_unique ON {schema}.jobs_done (unique_holder) WHERE unique_holder IS NOT NULL;
