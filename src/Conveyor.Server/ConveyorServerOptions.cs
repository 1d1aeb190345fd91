using Conveyor.Broker;
using Conveyor.Core.Inputs;
using Conveyor.Core.Security;
using Conveyor.Core.Storage;
using Conveyor.Server.Telemetry;
using Conveyor.Storage.Embedded;
using Conveyor.Storage.Postgres;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server;

/// <summary>How <see cref="ConveyorServer.Build"/> composes a server (the <c>conveyor serve</c> options).</summary>
public sealed class ConveyorServerOptions
{
    /// <summary>The default HTTP port.</summary>
    public const int DefaultHttpPort = 7420;

    /// <summary>The embedded store's data directory.</summary>
    public string DataDirectory { get; set; } = "./conveyor-data";

    /// <summary>The address to listen on: an IP address or <c>localhost</c>. Loopback by default.</summary>
    public string BindAddress { get; set; } = "127.0.0.1";

    /// <summary>The HTTP port; 0 picks a free one (see <see cref="ConveyorServer.GetHttpAddress"/>).</summary>
    public int HttpPort { get; set; } = DefaultHttpPort;

    /// <summary>The port <c>conveyor serve</c> speaks the Faktory protocol on unless told otherwise.</summary>
    public const int DefaultFaktoryPort = 7419;

    /// <summary>
    /// The Faktory protocol port (docs/faktory-protocol.md); 0 turns the listener off. Off by default here so
    /// that embedding hosts and tests opt in; <c>conveyor serve</c> defaults it to <see cref="DefaultFaktoryPort"/>.
    /// </summary>
    public int FaktoryPort { get; set; }

    /// <summary>The port <c>conveyor serve</c> speaks gRPC on unless told otherwise.</summary>
    public const int DefaultGrpcPort = 7421;

    /// <summary>
    /// The gRPC port (docs/grpc.md): HTTP/2 only, plain text (h2c) unless TLS is on; 0 turns it off. Off by default here
    /// so that embedding hosts and tests opt in; <c>conveyor serve</c> defaults it to <see cref="DefaultGrpcPort"/>. With TLS
    /// the HTTP port serves gRPC as well (HTTP/2 by ALPN).
    /// </summary>
    public int GrpcPort { get; set; }

    /// <summary>When set, Faktory clients must prove this password in HELLO. Never logged.</summary>
    public string? FaktoryPassword { get; set; }

    /// <summary>
    /// A PEM file with the server's TLS certificate (and any intermediates after it). With <see cref="TlsKeyPath"/>
    /// the HTTP port serves HTTPS and the Faktory port TLS (<c>tcp+tls://</c>); both or neither must be set.
    /// </summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The PEM file with the private key of <see cref="TlsCertificatePath"/> (PKCS#8 or PKCS#1, not encrypted).</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>The Faktory listener's connection cap, timeouts and line limit.</summary>
    public FaktoryLimits FaktoryLimits { get; set; } = new();

    /// <summary>A log sink besides the console (tests capture the server's log lines with it).</summary>
    public ILoggerProvider? LoggerProvider { get; set; }

    /// <summary>When the embedded store acknowledges writes.</summary>
    public DurabilityMode Durability { get; set; } = DurabilityMode.Sync;

    /// <summary>The embedded store snapshots after this much WAL (bounds recovery time; more often costs more writing).</summary>
    public long SnapshotAfterBytes { get; set; } = EmbeddedStoreOptions.DefaultSnapshotAfterBytes;

    /// <summary>The embedded store writes its WAL around the OS page cache where it can (<see cref="EmbeddedStoreOptions.DirectWalWrites"/>).</summary>
    public bool DirectWalWrites { get; set; } = true;

    /// <summary>
    /// The embedded store's memory budget in bytes (<see cref="EmbeddedStoreOptions.MemoryBudgetBytes"/>): past it enqueues
    /// answer 503 <c>storage-full</c>. Null: 40 % of the GC's memory limit; <see cref="long.MaxValue"/>: none.
    /// </summary>
    public long? MemoryBudgetBytes { get; set; }

    /// <summary>Which store to use.</summary>
    public StoreKind Store { get; set; } = StoreKind.Embedded;

    /// <summary>The PostgreSQL connection string (for <see cref="StoreKind.Postgres"/>).</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The PostgreSQL schema the store keeps its tables in (several installations can share a database).</summary>
    public string PostgresSchema { get; set; } = PostgresStoreOptions.DefaultSchema;

    /// <summary>How long the PostgreSQL leader's lease lasts past each renewal (renewed every third of it): a dead leader is replaced within about 4/3 of it.</summary>
    public TimeSpan PostgresLeaderLease { get; set; } = PostgresStoreOptions.DefaultLeaderLease;

    /// <summary>
    /// The largest body of a single-job call: one job's 1 MiB plus room for its envelope (id, options,
    /// JSON escaping). Larger bodies get 413.
    /// </summary>
    public long MaxJobBodyBytes { get; set; } = InputLimits.ArgsBytes + (64 * 1024);

    /// <summary>The largest body of <c>POST /v1/jobs/batch</c> and <c>POST /v1/settle</c> (default 64 MiB).</summary>
    public long MaxBatchBodyBytes { get; set; } = 64L << 20;

    /// <summary>The clock (a fake one in tests).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>Maintenance timing.</summary>
    public BrokerOptions Broker { get; set; } = new();

    /// <summary>How often the queue and state gauges of <c>/metrics</c> are read from the store.</summary>
    public TimeSpan MetricsSampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Where traces and metrics are exported over OTLP; null (the default) exports nothing and registers no listener.</summary>
    public OtlpExport? Otlp { get; set; }

    /// <summary>How long, and how many, finished jobs are kept (default: completed 1 hour / 100,000, dead 180 days / 1,000,000).</summary>
    public RetentionPolicy Retention { get; set; } = RetentionPolicy.Default;

    /// <summary>
    /// Serve without API keys on an address other than loopback (protected mode off). Logged as a warning on
    /// every start. See docs/security.md.
    /// </summary>
    public bool Insecure { get; set; }

    /// <summary>Host names the HTTP API answers to besides the loopback names and the bound address; <c>*</c> allows any.</summary>
    public IReadOnlyList<string> AllowedHosts { get; set; } = [];

    /// <summary>Where the API keys are kept; null keeps them in <c>keys.json</c> in <see cref="DataDirectory"/>.</summary>
    public IApiKeyStore? ApiKeys { get; set; }

    /// <summary>
    /// A cron file (<c>--cron-file</c>, docs/operations.md) whose schedules are created or replaced when the store opens;
    /// schedules not in it are left alone. A file that does not parse refuses the start (<see cref="ServerConfigurationException"/>).
    /// </summary>
    public string? CronFile { get; set; }

    /// <summary>Schedules to create or replace when the store opens, besides the cron file's.</summary>
    public IReadOnlyList<Core.Cron.CronSchedule> Schedules { get; set; } = [];
}
