-- Conveyor PostgreSQL store, schema version 1. {schema} is replaced by the configured schema (quoted).
-- Times are UTC .NET ticks (bigint): exactly the store clock's value, no rounding to microseconds.

CREATE SEQUENCE {schema}.job_seq;        -- creation order (newest-first listing, cursor)
CREATE SEQUENCE {schema}.ready_seq;      -- order of becoming available (FIFO within a priority)
CREATE SEQUENCE {schema}.lease_seq;      -- lease tokens: never reused, also across a flush
CREATE SEQUENCE {schema}.done_seq;       -- order of finishing (pruning oldest first)

CREATE TABLE {schema}.queues (
    name   text COLLATE "C" PRIMARY KEY,
    paused boolean NOT NULL DEFAULT false
);

-- The hot table: unfinished jobs only (scheduled 1, available 2, active 3, retrying 4).
CREATE TABLE {schema}.jobs (
    id               text COLLATE "C" PRIMARY KEY,
    seq              bigint   NOT NULL DEFAULT nextval('{schema}.job_seq'),
    queue            text COLLATE "C" NOT NULL REFERENCES {schema}.queues (name),
    type             text     NOT NULL,
    state            smallint NOT NULL CHECK (state BETWEEN 1 AND 4),
    priority         smallint NOT NULL,
    attempt          integer  NOT NULL DEFAULT 0,
    max_attempts     integer  NOT NULL,
    keep_dead        boolean  NOT NULL,
    lease_seconds    integer  NOT NULL,
    created_at       bigint   NOT NULL,
    run_at           bigint,
    available_at     bigint,
    ready_seq        bigint   DEFAULT nextval('{schema}.ready_seq'),
    unique_key       text,
    unique_holder    text COLLATE "C",
    unique_until     bigint,
    backoff_kind     smallint NOT NULL,
    backoff_seconds  integer  NOT NULL,
    lease_token      bigint,
    lease_worker     text,
    lease_expires_at bigint,
    tags             text[]   NOT NULL,
    meta             bytea,
    failures         bytea,
    args             bytea    NOT NULL
) WITH (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 1000, autovacuum_vacuum_cost_delay = 0);

-- One partial index per purpose.
CREATE INDEX jobs_fetch ON {schema}.jobs (queue, priority DESC, ready_seq) WHERE state = 2;
CREATE INDEX jobs_due ON {schema}.jobs (run_at, seq) WHERE state IN (1, 4);
CREATE INDEX jobs_leases ON {schema}.jobs (lease_expires_at, seq) WHERE state = 3;
CREATE UNIQUE INDEX jobs_unique ON {schema}.jobs (unique_holder) WHERE unique_holder IS NOT NULL;
CREATE INDEX jobs_seq ON {schema}.jobs (seq);
CREATE INDEX jobs_queue ON {schema}.jobs (queue, state);

-- Finished jobs (completed 5, dead 6, cancelled 7): the same columns plus when they finished, in finishing order.
CREATE TABLE {schema}.jobs_done (
    id               text COLLATE "C" PRIMARY KEY,
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
    args             bytea    NOT NULL
);

CREATE INDEX jobs_done_prune ON {schema}.jobs_done (state, done_seq);
CREATE INDEX jobs_done_seq ON {schema}.jobs_done (seq);

-- Lifetime totals, spread over slots so that settles on many nodes do not queue on one row.
CREATE TABLE {schema}.totals (
    slot      smallint PRIMARY KEY,
    processed bigint NOT NULL DEFAULT 0,
    failed    bigint NOT NULL DEFAULT 0
);
INSERT INTO {schema}.totals (slot) SELECT generate_series(0, 15);

CREATE TABLE {schema}.cron (
    name        text COLLATE "C" PRIMARY KEY,
    definition  bytea  NOT NULL,
    paused      boolean NOT NULL,
    created_at  bigint NOT NULL,
    updated_at  bigint NOT NULL,
    since       bigint NOT NULL,
    last_tick   bigint
);
