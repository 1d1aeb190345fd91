using Conveyor.Grpc.V1;
using Grpc.Core;

namespace Conveyor.Server.Tests.Grpc;

/// <summary>A test's end of a <c>Work</c> stream: send requests, and read what the server pushes with a generous timeout.</summary>
internal sealed class WorkClient : IDisposable
{
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(30);
    private readonly AsyncDuplexStreamingCall<WorkRequest, WorkResponse> call;

    private WorkClient(AsyncDuplexStreamingCall<WorkRequest, WorkResponse> call) => this.call = call;

    /// <summary>Every message read so far that was not jobs (settled, extended, control), in order.</summary>
    public List<WorkResponse> Others { get; } = [];

    public static async Task<WorkClient> OpenAsync(ConveyorService.ConveyorServiceClient client, Subscribe subscribe, int credit = 0, CallOptions? options = null)
    {
        var work = new WorkClient(client.Work(options ?? GrpcTestServer.Call()));
        var first = new WorkRequest { Subscribe = subscribe };
        if (credit > 0)
        {
            first.Credit = new Credit { N = credit };
        }

        await work.SendAsync(first);
        return work;
    }

    public Task SendAsync(WorkRequest request) => call.RequestStream.WriteAsync(request, TestContext.Current.CancellationToken);

    public Task CompleteAsync() => call.RequestStream.CompleteAsync();

    /// <summary>The next message; throws when the stream ends or nothing comes within 30 s.</summary>
    public async Task<WorkResponse> NextAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ReadTimeout);
        return await call.ResponseStream.MoveNext(timeout.Token) ? call.ResponseStream.Current : throw new InvalidOperationException("the stream ended");
    }

    /// <summary>Reads until <paramref name="count"/> jobs have come (in one or more batches); keeps other messages in <see cref="Others"/>.</summary>
    public async Task<List<Job>> JobsAsync(int count)
    {
        List<Job> jobs = [];
        while (jobs.Count < count)
        {
            var message = await NextAsync();
            if (message.KindCase == WorkResponse.KindOneofCase.Jobs)
            {
                jobs.AddRange(message.Jobs.Jobs);
            }
            else
            {
                Others.Add(message);
            }
        }

        Assert.Equal(count, jobs.Count);
        return jobs;
    }

    /// <summary>Reads until a message of <paramref name="kind"/> comes (jobs on the way are an error).</summary>
    public async Task<WorkResponse> NextOfKindAsync(WorkResponse.KindOneofCase kind)
    {
        var seen = Others.FindIndex(m => m.KindCase == kind);
        if (seen >= 0)
        {
            var earlier = Others[seen];
            Others.RemoveAt(seen);
            return earlier;
        }

        while (true)
        {
            var message = await NextAsync();
            Assert.NotEqual(WorkResponse.KindOneofCase.Jobs, message.KindCase);
            if (message.KindCase == kind)
            {
                return message;
            }

            Others.Add(message);
        }
    }

    /// <summary>The status the stream ended with, reading (and dropping) anything still pushed.</summary>
    public async Task<Status> EndAsync()
    {
        try
        {
            while (await NextOrEndAsync())
            {
            }
        }
        catch (RpcException ex)
        {
            return ex.Status;
        }

        return call.GetStatus();
    }

    private async Task<bool> NextOrEndAsync()
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(ReadTimeout);
        return await call.ResponseStream.MoveNext(timeout.Token);
    }

    public void Dispose() => call.Dispose();
}
