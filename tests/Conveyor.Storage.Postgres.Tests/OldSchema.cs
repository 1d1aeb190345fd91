using Conveyor.Testing;
using Npgsql;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>A schema as an older build left it: the migrations up to a version applied and recorded, nothing after.</summary>
internal static class OldSchema
{
    public static async Task CreateAsync(PostgresCluster cluster, string schema, int version, CancellationToken cancellationToken)
    {
        var quoted = "\"" + schema + "\"";
        await using var connection = new NpgsqlConnection(cluster.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            CREATE SCHEMA {quoted};
            CREATE TABLE {quoted}.migrations (
                version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
            """, cancellationToken);
        foreach (var migration in Migrator.Known.Where(m => m.Version <= version))
        {
            await ExecuteAsync(connection, migration.Sql.Replace("{schema}", quoted, StringComparison.Ordinal), cancellationToken);
            await using var record = new NpgsqlCommand($"INSERT INTO {quoted}.migrations (version, name, checksum) VALUES ($1, $2, $3)", connection);
            record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
            record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Checksum });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
