using System.Globalization;
using Conveyor.Grpc.V1;
using Conveyor.Server.Tests.Faktory;
using Conveyor.Testing;
using Grpc.Core;
using Grpc.Net.Client;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>
/// Crash safety over the Work stream: the real <c>conveyor serve</c> (durability sync) is SIGKILLed while a worker
/// streams acks; after a restart on the same data the worker reconnects on the same channel and drains the rest, and
/// every ack the server confirmed is still there.
/// </summary>
public sealed class GrpcCrashTests
{
    // Enough that the kill (after a third is acknowledged) comes while some are not leased yet: pushes are answered
    // before their lease's fsync, so the leases run ahead of the confirmed acks by however many one fsync lets through.
    private const int Jobs = 2000;

    [Fact]
    public async Task Work_ServerKilledWithAcksInFlight_WorkerReconnectsAndNoAcknowledgedJobLost()
    {
        using var data = new TempDirectory("conveyor-grpc-crash");
        var port = FaktoryServer.FreePort().ToString(CultureInfo.InvariantCulture);
        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
        var client = new ConveyorService.ConveyorServiceClient(channel);
        HashSet<string> acknowledged = [];

        using (var server = await ConveyorProcess.StartReadyAsync(data.Path, "--grpc-port", port))
        {
            var batch = new EnqueueBatchRequest();
            for (var i = 0; i < Jobs; i++)
            {
                batch.Jobs.Add(new EnqueueRequest { Id = $"crash-{i}", Type = "t", Queue = "crash" });
            }

            await client.EnqueueBatchAsync(batch, GrpcTestServer.Call());
            try
            {
                await WorkAsync(client, acknowledged, until: () => acknowledged.Count >= Jobs / 3, server.Kill);
            }
            catch (RpcException)
            {
                // The server died under the stream.
            }
        }

        Assert.InRange(acknowledged.Count, Jobs / 3, Jobs - 1);
        using var again = await ConveyorProcess.StartReadyAsync(data.Path, "--grpc-port", port);
        var before = await client.GetStatsAsync(new GetStatsRequest(), GrpcTestServer.Call());
        var available = before.Counts["available"];
        HashSet<string> afterRestart = [];
        await WorkAsync(client, afterRestart, until: () => afterRestart.Count >= available, onDone: null);
        var after = await client.GetStatsAsync(new GetStatsRequest(), GrpcTestServer.Call());

        foreach (var id in acknowledged)
        {
            var job = await client.GetJobAsync(new GetJobRequest { Id = id }, GrpcTestServer.Call());
            Assert.True(job.State == JobState.Completed, $"acknowledged job {id} is {job.State} after the crash");
        }

        Assert.True(available > 0, "the kill came after every job was acknowledged");
        Assert.Equal(0, after.Counts["available"]);
        // Jobs pushed but unacknowledged when the process died keep their lease until it expires (the server had no chance to release them).
        Assert.Equal(Jobs, after.Counts["completed"] + after.Counts["active"]);
    }

    /// <summary>Streams acks (one message per pushed batch, with as many new credits) until <paramref name="until"/>; then runs <paramref name="onDone"/>.</summary>
    private static async Task WorkAsync(ConveyorService.ConveyorServiceClient client, HashSet<string> acknowledged, Func<bool> until, Action? onDone)
    {
        using var call = client.Work(GrpcTestServer.Call());
        await call.RequestStream.WriteAsync(new WorkRequest { Subscribe = new Subscribe { Queues = { "crash" }, WorkerId = "crash-worker" }, Credit = new Credit { N = 32 } });
        while (!until())
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            Assert.True(await call.ResponseStream.MoveNext(timeout.Token), "the stream ended");
            var message = call.ResponseStream.Current;
            if (message.KindCase == WorkResponse.KindOneofCase.Jobs)
            {
                var settle = new SettleRequest();
                settle.Acks.Add(message.Jobs.Jobs.Select(j => new Ack { Id = j.Id, Token = j.Lease.Token }));
                await call.RequestStream.WriteAsync(new WorkRequest { Settle = settle, Credit = new Credit { N = settle.Acks.Count } });
            }
            else if (message.KindCase == WorkResponse.KindOneofCase.Settled)
            {
                acknowledged.UnionWith(message.Settled.Results.Where(r => r.Status == SettleStatus.Ok).Select(r => r.Id));
            }
        }

        onDone?.Invoke();
    }
}
