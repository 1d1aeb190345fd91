using Conveyor.Core.Jobs;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Events;

/// <summary>One job leased with a new token until <paramref name="ExpiresAt"/>.</summary>
internal sealed record LeaseGrant(JobKey Id, long Token, long ExpiresAt)
{
    /// <summary>The job as the fetch found it, so applying skips the lookup; never encoded (replay looks the id up).</summary>
    public JobEntry? Entry { get; init; }
}
