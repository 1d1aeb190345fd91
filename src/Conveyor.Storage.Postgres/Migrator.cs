using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// Brings a schema up to this build's version: the numbered SQL files embedded in the assembly
/// (<c>Migrations/NNNN_name.sql</c>), applied in order, each in its own transaction, under a session advisory lock on a
/// dedicated connection so that nodes starting at once migrate one after the other. Each applied file is recorded with
/// its SHA-256; a recorded file whose checksum differs, or a version this build does not know, stops the store.
/// </summary>
internal static class Migrator
{
    private const string Prefix = "Conveyor.Storage.Postgres.Migrations.";

    /// <summary>The migrations this build carries, in order.</summary>
    public static IReadOnlyList<Migration> Known { get; } = LoadKnown();

    public static async Task MigrateAsync(NpgsqlDataSource source, string schema, CancellationToken cancellationToken)
    {
        var quoted = "\"" + schema + "\"";
        await using var connection = await source.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext($1))", connection))
        {
            take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "conveyor.migrate." + schema });
            await take.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await ExecuteAsync(connection, null, $"""
                CREATE SCHEMA IF NOT EXISTS {quoted};
                CREATE TABLE IF NOT EXISTS {quoted}.migrations (
                    version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken).ConfigureAwait(false);
            var applied = new Dictionary<int, string>();
            await using (var read = new NpgsqlCommand($"SELECT version, checksum FROM {quoted}.migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    applied[reader.GetInt32(0)] = reader.GetString(1);
                }
            }

            var latest = Known[^1].Version;
            if (applied.Keys.Any(v => v > latest))
            {
                throw new InvalidOperationException(
                    $"schema '{schema}' was migrated to version {applied.Keys.Max()} by a newer Conveyor; this build knows versions up to {latest} and will not use it");
            }

            foreach (var migration in Known)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException(
                            $"schema '{schema}' recorded migration {migration.Version} ({migration.Name}) with another checksum; the database was changed by a different build");
                    }

                    continue;
                }

                await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, migration.Sql.Replace("{schema}", quoted, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
                await using (var record = new NpgsqlCommand($"INSERT INTO {quoted}.migrations (version, name, checksum) VALUES ($1, $2, $3)", connection, transaction))
                {
                    record.Parameters.Add(new NpgsqlParameter<int> { TypedValue = migration.Version });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Name });
                    record.Parameters.Add(new NpgsqlParameter<string> { TypedValue = migration.Checksum });
                    await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtext($1))", connection);
            release.Parameters.Add(new NpgsqlParameter<string> { TypedValue = "conveyor.migrate." + schema });
            await release.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static List<Migration> LoadKnown()
    {
        var assembly = typeof(Migrator).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var file = resource[Prefix.Length..^".sql".Length];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var text = new StreamReader(stream, Encoding.UTF8);
            var sql = text.ReadToEnd().ReplaceLineEndings("\n");
            var version = int.Parse(file.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture);
            list.Add(new Migration(version, file, sql, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql)))));
        }

        return list.Count > 0 ? list : throw new InvalidOperationException("no migrations embedded in " + assembly.GetName().Name);
    }
}
