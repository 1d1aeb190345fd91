-- Conveyor PostgreSQL store, schema version 4: one leader among the nodes (docs/postgres.md, "Leader").

-- One row: the node holding the leader lease, its term and until when it holds it, all by the database's clock
-- (clock_timestamp()), so the nodes' clocks do not matter. A node takes the row when it is missing or expired (term + 1)
-- and renews it while it is its own (same term); a node that stops gracefully expires it (the term stays, so terms
-- only grow). Logged, not UNLOGGED: a crash of the database must not reset the term.
CREATE TABLE {schema}.leader (
    id         boolean     PRIMARY KEY DEFAULT true CHECK (id),
    node       text        NOT NULL,
    term       bigint      NOT NULL,
    elected_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
