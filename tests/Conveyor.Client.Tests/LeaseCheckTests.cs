using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

public sealed class LeaseCheckTests
{
    [Fact]
    public async Task Worker_ManyRunningJobs_OneCheckPerIntervalCarriesEveryLease()
    {
        const int jobs = 20;
        await using var server = await TestServer.StartAsync();
        var checks = new LeaseCheckProbe(answerNotFound: false);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("hold", jobs);
            o.CancellationCheckInterval = TimeSpan.FromMilliseconds(200);
        }, build: w => checks.Attach(w.Services));
        var ids = new List<string>();
        for (var i = 0; i < jobs; i++)
        {
            ids.Add(await server.Client.EnqueueAsync(new HoldJob($"hold {i}")));
        }

        await Eventually.HoldsAsync(() => worker.Probe.Calls.Count == jobs, "every job to run");
        var before = checks.LeaseCounts.Count;
        await Eventually.HoldsAsync(() => checks.LeaseCounts.Count >= before + 3, "three more checks");

        // Each round is one call naming every running lease, not a call per job.
        var rounds = checks.LeaseCounts.Skip(before + 1).ToList();
        Assert.All(rounds, count => Assert.Equal(jobs, count));
        Assert.Empty(worker.Probe.CancelledAttempts);
        foreach (var id in ids)
        {
            await server.Client.CancelAsync(id);
        }

        await Eventually.HoldsAsync(() => worker.Probe.CancelledAttempts.Count == jobs, "every handler to be cancelled");
    }

    [Fact]
    public async Task Worker_LeaseExpiredAndRedelivered_FirstAttemptIsStoppedAndNothingSettledForIt()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("default", 2);
            o.HeartbeatsEnabled = false;
        });

        var id = await server.Client.EnqueueAsync(new SleepJob(3000, OnlyFirstAttempt: true), new JobOptions { LeaseSeconds = 1, Backoff = "fixed:0" });

        await Eventually.HoldsAsync(
            () => worker.Logs.Messages.Any(m => m.Contains($"Job {id} (test.sleep) ended without its lease (LeaseLost)", StringComparison.Ordinal)),
            "the first attempt to end without settling");
        Assert.Contains(worker.Logs.Messages, m => m.Contains($"Job {id} (test.sleep) no longer holds its lease (lost)", StringComparison.Ordinal));
        Assert.DoesNotContain(worker.Logs.Messages, m => m.Contains("was refused", StringComparison.Ordinal));
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the second attempt to complete");
        var job = (await server.Client.GetAsync(id))!;
        Assert.Equal(2, job.Attempt);
        Assert.Equal("LeaseExpired", Assert.Single(job.Failures).ErrorType);
    }

    [Fact]
    public async Task Worker_NoRunningJobs_SendsNoChecks()
    {
        await using var server = await TestServer.StartAsync();
        var checks = new LeaseCheckProbe(answerNotFound: false);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("default", 2);
            o.CancellationCheckInterval = TimeSpan.FromMilliseconds(50);
        }, build: w => checks.Attach(w.Services));
        var id = await server.Client.EnqueueAsync(new CountJob(1));
        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "completed", "the job to complete");
        var afterJob = checks.LeaseCounts.Count;
        var fetches = checks.Fetches;

        // Three more fetch long-polls go by with nothing running: each waits 300 ms, six check intervals.
        await Eventually.HoldsAsync(() => checks.Fetches >= fetches + 3, "three more fetches");

        Assert.Equal(afterJob, checks.LeaseCounts.Count);
    }

    [Fact]
    public async Task Worker_ServerWithoutLeaseCheck_FallsBackToHeartbeatsAndSaysSoOnce()
    {
        await using var server = await TestServer.StartAsync();
        var checks = new LeaseCheckProbe(answerNotFound: true);
        await using var worker = await TestWorker.StartAsync(server, o =>
        {
            o.AddQueue("hold", 2);
            o.CancellationCheckInterval = TimeSpan.FromMilliseconds(100);
        }, build: w => checks.Attach(w.Services));

        // A 3 s lease heartbeats every second: a refused heartbeat then cancels the handler.
        var id = await server.Client.EnqueueAsync(new HoldJob("old server"), new JobOptions { LeaseSeconds = 3 });
        await Eventually.HoldsAsync(() => worker.Probe.Calls.ContainsKey(id), "the handler to start");
        await Eventually.HoldsAsync(() => checks.LeaseCounts.Count >= 1, "the first check");
        await server.Client.CancelAsync(id);

        await Eventually.HoldsAsync(() => worker.Probe.CancelledAttempts.Contains((id, 1)), "a refused heartbeat to cancel the handler");
        Assert.Single(checks.LeaseCounts);
        Assert.Single(worker.Logs.Messages, m => m.Contains("answered NotFound to the lease check", StringComparison.Ordinal));
        Assert.Equal("cancelled", (await server.Client.GetAsync(id))!.State);
    }

    /// <summary>Sees each <c>POST /v1/leases/check</c> the worker sends (how many leases it names), and can answer 404 as an older server.</summary>
    private sealed class LeaseCheckProbe(bool answerNotFound)
    {
        private int fetches;

        public ConcurrentQueue<int> LeaseCounts { get; } = new();

        public bool AnswerNotFound { get; } = answerNotFound;

        public int Fetches => Volatile.Read(ref fetches);

        public void Attach(IServiceCollection services) =>
            services.AddHttpClient(ConveyorServiceCollectionExtensions.HttpClientName).AddHttpMessageHandler(() => new Handler(this));

        private sealed class Handler(LeaseCheckProbe probe) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                if (request.RequestUri?.AbsolutePath == "/v1/fetch")
                {
                    Interlocked.Increment(ref probe.fetches);
                }

                if (request.RequestUri?.AbsolutePath != "/v1/leases/check")
                {
                    return await base.SendAsync(request, cancellationToken);
                }

                using var body = JsonDocument.Parse(await request.Content!.ReadAsByteArrayAsync(cancellationToken));
                probe.LeaseCounts.Enqueue(body.RootElement.GetProperty("leases").GetArrayLength());
                if (!probe.AnswerNotFound)
                {
                    return await base.SendAsync(request, cancellationToken);
                }

                return new HttpResponseMessage(HttpStatusCode.NotFound)
                {
                    Content = new StringContent("""{"type":"about:blank","title":"Not Found","status":404}""", Encoding.UTF8, "application/problem+json"),
                };
            }
        }
    }
}
