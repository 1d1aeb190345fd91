using System.Collections.Concurrent;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Testing;
using Npgsql;
using Xunit;

namespace Conveyor.Storage.Postgres.Tests;

/// <summary>
/// The NOTIFY rate limit on a real database, watched from a LISTEN connection of the test's own: a burst of enqueues on
/// one node sends one NOTIFY, a fetch waiting on another node (its poll off) is not woken by the held-back enqueues, and
/// is woken by the trailing NOTIFY at the end of the interval with every job of the burst.
/// </summary>
public sealed class NotifyRateLimitTests
{
    private const string Queue = "burst";
    private const string Sentinel = "sentinel";
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(5);

    /// <summary>Real time, only so that a missed wake-up fails the test instead of hanging it.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Burst_OneNodeNotifiesOnceThenTrails_AWaiterOnAnotherNodeGetsTheWholeBurst()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        // The producing node's clock stands still, so every enqueue after the first falls in one interval.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var producer = await OpenAsync(cluster, schema, clock);
        await using var consumer = await OpenAsync(cluster, schema, TimeProvider.System);
        await using var watch = await Notifications.ListenAsync(cluster, schema);

        await producer.EnqueueAsync(new JobEnqueue([Job(0)]), Ct);
        Assert.Single(await consumer.FetchAsync(new JobFetch([Queue], 1, "w"), Ct));
        Assert.Equal(1, await watch.CountUpToSentinelAsync(Queue));

        // A fetch waiting on the other node; the enqueue there returns once its waiting fetches were served (found none).
        var waiting = consumer.FetchAsync(new JobFetch([Queue], 100, "w", TimeSpan.FromHours(1)), Ct).AsTask();
        await consumer.EnqueueAsync(new JobEnqueue([new JobSpec { Type = "t", Queue = "elsewhere" }]), Ct);

        for (var i = 1; i <= 50; i++)
        {
            await producer.EnqueueAsync(new JobEnqueue([Job(i)]), Ct);
        }

        Assert.Equal(0, await watch.CountUpToSentinelAsync(Queue));
        Assert.False(waiting.IsCompleted, "the held-back enqueues woke the waiting fetch");

        clock.Advance(Interval);

        var jobs = await waiting.WaitAsync(Bound, Ct);
        Assert.Equal(50, jobs.Count);
        Assert.Equal(1, await watch.CountUpToSentinelAsync(Queue));
    }

    [Fact]
    public async Task ScheduledJob_NoNotify()
    {
        var cluster = await PostgresCluster.SharedAsync();
        var schema = PostgresStoreHarness.NewSchema();
        await using var node = await OpenAsync(cluster, schema, TimeProvider.System);
        await using var watch = await Notifications.ListenAsync(cluster, schema);

        await node.EnqueueAsync(new JobEnqueue([Job(0) with { RunAt = DateTimeOffset.UtcNow.AddHours(1) }, Job(1) with { Queue = "other" }]), Ct);

        Assert.Equal(0, await watch.CountUpToSentinelAsync(Queue));
        Assert.Equal(1, await watch.CountUpToSentinelAsync("other"));
    }

    private static JobSpec Job(int n) => new() { Id = "j" + n, Type = "t", Queue = Queue };

    private static Task<PostgresJobStore> OpenAsync(PostgresCluster cluster, string schema, TimeProvider time) =>
        PostgresJobStore.OpenAsync(
            new PostgresStoreOptions { ConnectionString = cluster.ConnectionString, Schema = schema, PollInterval = TimeSpan.FromHours(1), NotifyInterval = Interval },
            new JobStoreSettings { Time = time },
            cancellationToken: Ct);

    /// <summary>
    /// A LISTEN connection on the schema's channel. NOTIFYs reach it in commit order, so once a NOTIFY the test sends
    /// afterwards (the sentinel) has arrived, every NOTIFY committed before it has too.
    /// </summary>
    private sealed class Notifications : IAsyncDisposable
    {
        private readonly NpgsqlConnection connection;
        private readonly string channel;
        private readonly ConcurrentQueue<string> payloads = new();
        private readonly Dictionary<string, int> counted = new(StringComparer.Ordinal);

        private Notifications(NpgsqlConnection connection, string channel)
        {
            this.connection = connection;
            this.channel = channel;
            connection.Notification += (_, e) => payloads.Enqueue(e.Payload);
        }

        public static async Task<Notifications> ListenAsync(PostgresCluster cluster, string schema)
        {
            var connection = new NpgsqlConnection(cluster.ConnectionString);
            await connection.OpenAsync(Ct);
            var channel = "conveyor_" + schema;
            await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection))
            {
                await listen.ExecuteNonQueryAsync(Ct);
            }

            return new Notifications(connection, channel);
        }

        /// <summary>How many NOTIFYs for <paramref name="payload"/> arrived up to a sentinel sent now, not counted by an earlier call.</summary>
        public async Task<int> CountUpToSentinelAsync(string payload)
        {
            await using (var sender = new NpgsqlConnection(connection.ConnectionString))
            {
                await sender.OpenAsync(Ct);
                await using var notify = new NpgsqlCommand("SELECT pg_notify($1, $2)", sender);
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = channel });
                notify.Parameters.Add(new NpgsqlParameter<string> { TypedValue = Sentinel });
                await notify.ExecuteNonQueryAsync(Ct);
            }

            using var bound = CancellationTokenSource.CreateLinkedTokenSource(Ct);
            bound.CancelAfter(Bound);
            while (true)
            {
                while (payloads.TryDequeue(out var seen))
                {
                    if (seen == Sentinel)
                    {
                        var count = counted.GetValueOrDefault(payload);
                        counted.Remove(payload);
                        return count;
                    }

                    counted[seen] = counted.GetValueOrDefault(seen) + 1;
                }

                await connection.WaitAsync(bound.Token);
            }
        }

        public ValueTask DisposeAsync() => connection.DisposeAsync();
    }
}
