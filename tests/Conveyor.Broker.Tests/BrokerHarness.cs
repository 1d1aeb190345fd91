using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded;
using Conveyor.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit;

namespace Conveyor.Broker.Tests;

/// <summary>A broker over a real embedded store in a temp directory, on a fake clock.</summary>
internal sealed class BrokerHarness : IAsyncDisposable
{
    private readonly TempDirectory directory = new("conveyor-broker");

    public BrokerHarness(RetentionPolicy? retention = null, BrokerOptions? options = null)
    {
        Clock = new TimerWatchingTimeProvider(Time);
        Store = EmbeddedJobStore.Open(
            new EmbeddedStoreOptions { DataDirectory = directory.Path, Durability = DurabilityMode.None },
            new JobStoreSettings { Time = Clock, Random = new Random(7), Retention = retention ?? RetentionPolicy.Default },
            loggerFactory: null);
        Broker = new JobBroker(Store, Clock, Options.Create(options ?? new BrokerOptions()), NullLogger<JobBroker>.Instance);
    }

    public FakeTimeProvider Time { get; } = new();

    /// <summary>The broker's and the store's view of <see cref="Time"/>, which reports timer creation (a long-poll's wait).</summary>
    public TimerWatchingTimeProvider Clock { get; }

    public EmbeddedJobStore Store { get; }

    public JobBroker Broker { get; }

    public DateTimeOffset Now => Time.GetUtcNow();

    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static JobSpec Spec(string queue = "default") => new() { Type = "work", Queue = queue, LeaseSeconds = 60 };

    public async ValueTask<string> EnqueueAsync(JobSpec spec) => (await Broker.EnqueueAsync(spec, Ct)).Id;

    /// <summary>Fetches without waiting; null when nothing was leased.</summary>
    public async ValueTask<JobInfo?> FetchAsync(string queue = "default")
    {
        var jobs = await Broker.FetchAsync([queue], 1, TimeSpan.Zero, "worker", Ct);
        return jobs.Count == 0 ? null : jobs[0];
    }

    public async ValueTask<JobInfo> GetAsync(string id) =>
        await Broker.GetJobAsync(id, Ct) ?? throw new InvalidOperationException($"job {id} is gone");

    public ValueTask<SettleStatus> FailAsync(JobInfo job, TimeSpan? retryIn = null) =>
        Broker.FailAsync(new JobFail(job.Id, job.Lease!.Token, "Error", "failed", [], retryIn), Ct);

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync();
        await Store.DisposeAsync();
        directory.Dispose();
    }
}
