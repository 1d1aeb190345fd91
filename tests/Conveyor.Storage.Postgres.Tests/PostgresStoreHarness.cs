using Conveyor.Core.Storage;
using Conveyor.Storage.Conformance;
using Conveyor.Testing;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// Opens the PostgreSQL store on the run's shared cluster in a schema of its own (so tests run in parallel on one
/// cluster), and reopens it on the same schema.
/// </summary>
internal sealed class PostgresStoreHarness : IStoreHarness
{
    private JobStoreSettings? settings;

    public string Schema { get; } = NewSchema();

    public static string NewSchema() => "t_" + Guid.NewGuid().ToString("N")[..20];

    public async ValueTask<IJobStore> OpenAsync(JobStoreSettings storeSettings)
    {
        settings = storeSettings;
        return await OpenAsync();
    }

    public async ValueTask<IJobStore> ReopenAsync(IJobStore store)
    {
        await store.DisposeAsync();
        return await OpenAsync();
    }

    public void Dispose()
    {
        // The schema goes with the throw-away cluster at the end of the run.
    }

    private async Task<PostgresJobStore> OpenAsync()
    {
        var cluster = await PostgresCluster.SharedAsync();
        return await PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = Schema, PollInterval = TimeSpan.FromMilliseconds(200) },
            settings ?? throw new InvalidOperationException("open the store before reopening it"));
    }
}
