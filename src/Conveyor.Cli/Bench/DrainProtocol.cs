namespace Conveyor.Cli.Bench;

/// <summary>How end-to-end workers fetch and settle.</summary>
internal enum DrainProtocol
{
    /// <summary><c>POST /v1/fetch</c> and <c>POST /v1/settle</c>, up to the batch size each.</summary>
    Http,

    /// <summary>One Faktory connection per worker, <c>FETCH</c> then <c>ACK</c>, one job at a time, as Faktory clients work.</summary>
    Faktory,

    /// <summary>One gRPC <c>Work</c> stream per worker with a number of credits, each job acked as its handler ends (acks batched on the stream while a write is under way).</summary>
    Grpc,
}
