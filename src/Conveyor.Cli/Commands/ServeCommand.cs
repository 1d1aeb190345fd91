using System.CommandLine;
using System.Globalization;
using Conveyor.Core.Storage;
using Conveyor.Server;
using Conveyor.Storage.Embedded;
using Conveyor.Storage.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Cli.Commands;

/// <summary><c>conveyor serve</c>: runs the server until SIGTERM or Ctrl+C, then drains, snapshots and exits 0.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var data = EnvironmentOption.Text("--data", "The data directory", "./conveyor-data");
        var bind = EnvironmentOption.Text("--bind", "The address to listen on", "127.0.0.1");
        var httpPort = EnvironmentOption.Integer("--http-port", "The HTTP port (0 picks a free one)", ConveyorServerOptions.DefaultHttpPort);
        var faktoryPort = EnvironmentOption.Integer("--faktory-port", "The Faktory protocol port (0 turns it off)", ConveyorServerOptions.DefaultFaktoryPort);
        var grpcPort = EnvironmentOption.Integer("--grpc-port", "The gRPC port, HTTP/2 (0 turns it off; with TLS the HTTP port serves gRPC too)", ConveyorServerOptions.DefaultGrpcPort);
        var durability = EnvironmentOption.Enum("--durability", "When writes are acknowledged: sync, interval or none", DurabilityMode.Sync);
        var store = EnvironmentOption.Enum("--store", "The store: embedded (a write-ahead log in --data) or postgres (--postgres; several nodes on one database)", StoreKind.Embedded);
        var snapshotAfter = EnvironmentOption.Integer(
            "--snapshot-after-mib", "The embedded store snapshots after this many MiB of WAL (bounds recovery time)", (int)(EmbeddedStoreOptions.DefaultSnapshotAfterBytes >> 20));
        var directWal = EnvironmentOption.Boolean(
            "--wal-direct-io", "The embedded store writes its WAL around the OS page cache (O_DIRECT) where the file system allows it", true);
        var memoryBudget = EnvironmentOption.Create(
            "--memory-budget",
            "The most memory the embedded store's jobs may take before enqueues get 503 storage-full: 512MB, 2GB, a percent of the memory limit (the GC's: container or DOTNET_GCHeapHardLimit), or none",
            string.Create(CultureInfo.InvariantCulture, $"{EmbeddedStoreOptions.DefaultMemoryBudgetFraction * 100}%"),
            value => (MemoryBudgetText.TryParse(value, MemoryLimit, out _), value));
        var postgres = EnvironmentOption.Text("--postgres", "The PostgreSQL connection string for --store postgres (Host=...;Database=...;Username=...)", "");
        var postgresSchema = EnvironmentOption.Text("--postgres-schema", "The PostgreSQL schema the store keeps its tables in (several installations can share a database)", PostgresStoreOptions.DefaultSchema);
        var leaderLease = EnvironmentOption.Integer(
            "--postgres-leader-lease", "Seconds the PostgreSQL nodes' leader holds its lease past each renewal (renewed every third of it; a dead leader is replaced within about 4/3 of it)",
            (int)PostgresStoreOptions.DefaultLeaderLease.TotalSeconds);
        var defaults = RetentionPolicy.Default;
        var keepCompleted = EnvironmentOption.Integer("--keep-completed", "Most completed (and cancelled) jobs kept for inspection", defaults.CompletedCap);
        var keepCompletedSeconds = EnvironmentOption.Integer("--keep-completed-seconds", "How long completed (and cancelled) jobs are kept", (int)defaults.Completed.TotalSeconds);
        var keepDead = EnvironmentOption.Integer("--keep-dead", "Most dead jobs kept", defaults.DeadCap);
        var keepDeadSeconds = EnvironmentOption.Integer("--keep-dead-seconds", "How long dead jobs are kept", (int)defaults.Dead.TotalSeconds);
        var cronFile = EnvironmentOption.Text("--cron-file", "A JSON file of schedules created or replaced at start; others are left alone (docs/operations.md)", "");
        var command = new Command("serve", "Run the Conveyor server")
        {
            data, bind, httpPort, faktoryPort, grpcPort, durability, store, snapshotAfter, directWal, memoryBudget, postgres, postgresSchema, leaderLease, keepCompleted, keepCompletedSeconds, keepDead, keepDeadSeconds,
            cronFile,
        };

        memoryBudget.Validators.Add(result =>
        {
            if (!MemoryBudgetText.TryParse(result.GetValueOrDefault<string>() ?? "", MemoryLimit, out _))
            {
                result.AddError("--memory-budget takes a size (512MB, 2GB), a percent of the memory limit (60%) or none");
            }
        });
        var security = SecurityOptions.AddTo(command);
        var faktoryLimits = FaktoryOptions.AddTo(command);
        var otlp = OtlpOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => RunAsync(parse, security, new ConveyorServerOptions
        {
            DataDirectory = parse.GetValue(data)!,
            BindAddress = parse.GetValue(bind)!,
            HttpPort = parse.GetValue(httpPort),
            FaktoryPort = parse.GetValue(faktoryPort),
            GrpcPort = parse.GetValue(grpcPort),
            FaktoryLimits = faktoryLimits(parse),
            Otlp = otlp(parse),
            Durability = parse.GetValue(durability),
            Store = parse.GetValue(store),
            SnapshotAfterBytes = (long)parse.GetValue(snapshotAfter) << 20,
            DirectWalWrites = parse.GetValue(directWal),
            MemoryBudgetBytes = MemoryBudgetText.TryParse(parse.GetValue(memoryBudget)!, MemoryLimit, out var budget) ? budget : null,
            PostgresConnectionString = parse.GetValue(postgres) is { Length: > 0 } cs ? cs : null,
            PostgresSchema = parse.GetValue(postgresSchema)!,
            PostgresLeaderLease = TimeSpan.FromSeconds(parse.GetValue(leaderLease)),
            CronFile = parse.GetValue(cronFile) is { Length: > 0 } file ? file : null,
            Retention = new RetentionPolicy(
                TimeSpan.FromSeconds(parse.GetValue(keepCompletedSeconds)), parse.GetValue(keepCompleted),
                TimeSpan.FromSeconds(parse.GetValue(keepDeadSeconds)), parse.GetValue(keepDead)),
        }, cancellationToken));
        return command;
    }

    /// <summary>The memory the GC may use: the container's or <c>DOTNET_GCHeapHardLimit</c>'s limit, else the machine's.</summary>
    private static long MemoryLimit => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static async Task<int> RunAsync(ParseResult parse, SecurityOptions security, ConveyorServerOptions options, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (await security.ApplyAsync(parse, options, error, cancellationToken).ConfigureAwait(false) is { } refusal)
        {
            await error.WriteLineAsync($"conveyor serve: {refusal}").ConfigureAwait(false);
            return 1;
        }

        WebApplication app;
        try
        {
            app = ConveyorServer.Build(options);
        }
        catch (ServerConfigurationException ex)
        {
            await error.WriteLineAsync($"conveyor serve: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync().ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                await error.WriteLineAsync($"conveyor serve: {ListenFailure.Describe(ex, options)}").ConfigureAwait(false);
                return 1;
            }

            await output.WriteLineAsync(
                $"Conveyor listening on {app.GetHttpAddress()}{(options.FaktoryPort != 0 ? $" and faktory on {(options.TlsCertificatePath is null ? "tcp" : "tcp+tls")}://{options.BindAddress}:{options.FaktoryPort}" : "")}{(options.GrpcPort != 0 ? $" and grpc on {(options.TlsCertificatePath is null ? "http" : "https")}://{options.BindAddress}:{options.GrpcPort}" : "")} ({(options.Store == StoreKind.Postgres ? "store postgres" : $"store embedded, data {Path.GetFullPath(options.DataDirectory)}, durability {options.Durability.ToString().ToLowerInvariant()}")})").ConfigureAwait(false);
            await app.WaitForShutdownAsync().ConfigureAwait(false);
            if (app.GetStartupFailure() is { } failure)
            {
                await error.WriteLineAsync($"conveyor serve: the store could not be opened: {failure.Message}").ConfigureAwait(false);
                return 1;
            }
        }

        return 0;
    }
}
