namespace Conveyor.Core.Security;

/// <summary>What an API key may do (docs/security.md has the map from endpoint to scope).</summary>
[Flags]
public enum ApiScope
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary>Inspect: jobs, queues, stats, workers, the OpenAPI document.</summary>
    Read = 1,

    /// <summary>Enqueue jobs.</summary>
    Produce = 2,

    /// <summary>Fetch, settle (ack, fail) and heartbeat.</summary>
    Work = 4,

    /// <summary>Cancel, retry, purge, pause, resume, quiet and terminate workers; holds every other scope too.</summary>
    Admin = 8,
}
