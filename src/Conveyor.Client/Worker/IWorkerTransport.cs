using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Workers;

namespace Conveyor.Client.Worker;

/// <summary>
/// How the worker host talks to the server: HTTP (<see cref="Http.WorkerApi"/>) or the gRPC Work stream
/// (<see cref="Grpc.GrpcWorkerTransport"/>). Errors that mean a lease is gone are <see cref="ConveyorApiException"/>s
/// with <c>IsStaleLease</c> (or 404) on both.
/// </summary>
internal interface IWorkerTransport : IAsyncDisposable
{
    /// <summary><c>http</c> or <c>grpc</c>, for the logs.</summary>
    string Name { get; }

    /// <summary>
    /// True when the server pushes lost leases (<see cref="LeaseLost"/>) so they need not be polled with
    /// <see cref="CheckLeasesAsync"/>.
    /// </summary>
    bool PushesLostLeases { get; }

    /// <summary>Raised when the server says a lease this worker holds is gone: reason <c>cancelled</c> or <c>lost</c>.</summary>
    event Action<LostLeaseView>? LeaseLost;

    /// <summary>Up to <paramref name="max"/> jobs of <paramref name="queue"/> (the queue's free slots), waiting up to <paramref name="wait"/> for the first.</summary>
    Task<IReadOnlyList<JobView>> FetchAsync(string queue, int max, TimeSpan wait, string workerId, CancellationToken cancellationToken);

    Task<IReadOnlyList<SettleItemResult>> SettleAsync(SettleRequest request, CancellationToken cancellationToken);

    Task<DateTimeOffset> HeartbeatAsync(string id, string token, int? extendSeconds, CancellationToken cancellationToken);

    Task ProgressAsync(string id, string token, int percent, string? message, CancellationToken cancellationToken);

    /// <summary>The leases among <paramref name="leases"/> the server says are no longer held.</summary>
    Task<IReadOnlyList<LostLeaseView>> CheckLeasesAsync(IReadOnlyList<(string Id, string Token)> leases, CancellationToken cancellationToken);
}
