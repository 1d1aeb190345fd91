using Conveyor.Core.Jobs;
using Conveyor.Server.Json;
using Microsoft.AspNetCore.Http;

namespace Conveyor.Server.Tests.Json;

/// <summary>A fetch answer that cannot be sent hands its leases back; one that is sent does not.</summary>
public sealed class FetchResultReleaseTests
{
    private static readonly IReadOnlyList<JobInfo> Leased = [RandomJobs.Job(new Random(5)), RandomJobs.Job(new Random(6))];

    [Fact]
    public async Task Execute_Delivered_ReleasesNothing()
    {
        var released = new List<IReadOnlyList<JobInfo>>();
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await new FetchResult(Leased, release: Record(released)).ExecuteAsync(context);

        Assert.Empty(released);
        Assert.True(context.Response.Body.Length > 0);
    }

    [Fact]
    public async Task Execute_ClientGoneBeforeTheAnswer_ReleasesEveryLease()
    {
        var released = new List<IReadOnlyList<JobInfo>>();
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token, Response = { Body = new MemoryStream() } };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new FetchResult(Leased, release: Record(released)).ExecuteAsync(context));

        Assert.Same(Leased, Assert.Single(released));
    }

    [Fact]
    public async Task Execute_WriteFails_ReleasesEveryLeaseAndRethrows()
    {
        var released = new List<IReadOnlyList<JobInfo>>();
        var context = new DefaultHttpContext { Response = { Body = new BrokenStream() } };

        await Assert.ThrowsAsync<IOException>(() => new FetchResult(Leased, release: Record(released)).ExecuteAsync(context));

        Assert.Same(Leased, Assert.Single(released));
    }

    private static Func<IReadOnlyList<JobInfo>, ValueTask<int>> Record(List<IReadOnlyList<JobInfo>> released) => jobs =>
    {
        released.Add(jobs);
        return ValueTask.FromResult(jobs.Count);
    };

    /// <summary>A response body whose connection reset: every write fails.</summary>
    private sealed class BrokenStream : MemoryStream
    {
        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("connection reset");

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            throw new IOException("connection reset");

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            throw new IOException("connection reset");
    }
}
