using Conveyor.Client.Json;
using Conveyor.Client.Worker;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Http;

/// <summary>The worker side of the API (fetch, settle, heartbeat, lease check); internal because the worker host is its only user.</summary>
internal sealed class WorkerApi : IWorkerTransport
{
    private readonly ConveyorTransport transport;

    public WorkerApi(ConveyorTransport transport)
    {
        this.transport = transport;
    }

    public string Name => "http";

    public bool PushesLostLeases => false;

    // HTTP has no push: the lease checker polls CheckLeasesAsync.
    public event Action<LostLeaseView>? LeaseLost
    {
        add { }
        remove { }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public async Task<IReadOnlyList<JobView>> FetchAsync(string queue, int max, TimeSpan wait, string workerId, CancellationToken cancellationToken)
    {
        var request = new FetchRequest { Queues = [queue], Max = max, WaitMs = (int)wait.TotalMilliseconds, WorkerId = workerId, OmitDefaults = true };
        var response = await transport.SendAndReadAsync<FetchRequest, FetchResponse>(HttpMethod.Post, "v1/fetch", request, ConveyorJsonContext.Default.FetchRequest,
            async (body, token) => await FetchResponseReader.ReadAsync(body, token).ConfigureAwait(false), wait, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!.Jobs;
    }

    public async Task<IReadOnlyList<SettleItemResult>> SettleAsync(SettleRequest request, CancellationToken cancellationToken)
    {
        var response = await transport.SendAndReadAsync<SettleRequest, SettleResponse>(HttpMethod.Post, "v1/settle", request, ConveyorJsonContext.Default.SettleRequest,
            async (body, token) => await SettleResponseReader.ReadAsync(body, request, token).ConfigureAwait(false), TimeSpan.Zero, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!.Results;
    }

    /// <summary>The leases among <paramref name="leases"/> (at most 1000) the server says are no longer held; 404 from an older server.</summary>
    public async Task<IReadOnlyList<LostLeaseView>> CheckLeasesAsync(IReadOnlyList<(string Id, string Token)> leases, CancellationToken cancellationToken)
    {
        var request = new LeaseCheckRequest { Leases = [.. leases.Select(l => new LeaseCheckItem { Id = l.Id, Token = l.Token })] };
        var response = await transport.SendAsync(HttpMethod.Post, "v1/leases/check", request, ConveyorJsonContext.Default.LeaseCheckRequest,
            ConveyorJsonContext.Default.LeaseCheckResponse, TimeSpan.Zero, notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!.Lost;
    }

    /// <summary>Records the attempt's progress; throws a <see cref="ConveyorApiException"/> whose <c>IsStaleLease</c> says the lease is lost.</summary>
    public Task ProgressAsync(string id, string token, int percent, string? message, CancellationToken cancellationToken)
    {
        var request = new ProgressRequest { Token = token, Percent = percent, Message = message };
        return transport.SendAsync<ProgressRequest, object>(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(id)}/progress", request,
            ConveyorJsonContext.Default.ProgressRequest, null, TimeSpan.Zero, notFoundIsNull: false, cancellationToken);
    }

    /// <summary>Extends the lease; throws a <see cref="ConveyorApiException"/> whose <c>IsStaleLease</c> says the lease is lost.</summary>
    public async Task<DateTimeOffset> HeartbeatAsync(string id, string token, int? extendSeconds, CancellationToken cancellationToken)
    {
        var request = new HeartbeatRequest { Token = token, ExtendSeconds = extendSeconds };
        var response = await transport.SendAsync(HttpMethod.Post, $"v1/jobs/{Uri.EscapeDataString(id)}/heartbeat", request,
            ConveyorJsonContext.Default.HeartbeatRequest, ConveyorJsonContext.Default.HeartbeatResponse, TimeSpan.Zero,
            notFoundIsNull: false, cancellationToken).ConfigureAwait(false);
        return response!.ExpiresAt;
    }
}
