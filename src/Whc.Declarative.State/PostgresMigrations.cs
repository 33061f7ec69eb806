namespace Whc.Declarative.State;

/// <summary>
/// The PostgreSQL schema as ordered migrations; version N is the N-th entry. Applied once each, recorded in
/// <c>schema_migrations</c>. Never edit an entry that has shipped: add a new one. <c>{schema}</c> is replaced by the
/// quoted schema name.
/// </summary>
internal static class PostgresMigrations
{
    public static IReadOnlyList<string> All { get; } =
    [
        // 1: current state per (workspace, company), every version written, and who holds each lock.
        """
        CREATE TABLE {schema}.states (
            workspace  text        NOT NULL,
            company    text        NOT NULL,
            serial     bigint      NOT NULL,
            lineage    text        NOT NULL,
            state      jsonb       NOT NULL,
            updated_by text        NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (workspace, company)
        );
        CREATE TABLE {schema}.state_history (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            workspace  text        NOT NULL,
            company    text        NOT NULL,
            serial     bigint      NOT NULL,
            lineage    text        NOT NULL,
            state      jsonb       NOT NULL,
            written_by text        NOT NULL,
            written_at timestamptz NOT NULL
        );
        CREATE INDEX state_history_company ON {schema}.state_history (workspace, company, serial);
        CREATE TABLE {schema}.locks (
            workspace   text        NOT NULL,
            company     text        NOT NULL,
            lock_id     text        NOT NULL,
            who         text        NOT NULL,
            host        text        NOT NULL,
            pid         integer     NOT NULL,
            operation   text        NOT NULL,
            since       timestamptz NOT NULL,
            backend_pid integer     NOT NULL,
            PRIMARY KEY (workspace, company)
        );
        """,

        // 2: leases. Every taking of a company's lock gets a generation from a sequence (never reused, never reset),
        // so (lock_id, generation) is a fencing token that a writer's transaction checks against this row.
        """
        CREATE SEQUENCE {schema}.lock_generation;
        ALTER TABLE {schema}.locks ADD COLUMN generation bigint NOT NULL DEFAULT 0;
        """,
    ];
}
