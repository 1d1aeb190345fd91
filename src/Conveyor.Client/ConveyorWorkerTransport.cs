namespace Conveyor.Client;

/// <summary>How the worker host fetches and settles jobs (<see cref="ConveyorWorkerOptions.Transport"/>).</summary>
public enum ConveyorWorkerTransport
{
    /// <summary>The gRPC Work stream when the server answers on <see cref="ConveyorWorkerOptions.GrpcAddress"/> at start, else HTTP.</summary>
    Auto,

    /// <summary>HTTP long-poll fetches and batched settles (<c>/v1/fetch</c>, <c>/v1/settle</c>).</summary>
    Http,

    /// <summary>The gRPC Work stream only (one per queue); the worker keeps retrying to connect when the server does not answer.</summary>
    Grpc,
}
