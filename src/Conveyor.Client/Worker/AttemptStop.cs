namespace Conveyor.Client.Worker;

/// <summary>Why an attempt's token was cancelled before the handler finished (other than shutdown).</summary>
internal enum AttemptStop
{
    /// <summary>Not stopped.</summary>
    None,

    /// <summary>The lease is gone (refused heartbeat, or the lease check said lost or unknown): nothing is settled.</summary>
    LeaseLost,

    /// <summary>The job was cancelled on the server: nothing is settled.</summary>
    Cancelled,

    /// <summary>The attempt ran past its timeout: it is failed with <c>Timeout</c>.</summary>
    TimedOut,
}
