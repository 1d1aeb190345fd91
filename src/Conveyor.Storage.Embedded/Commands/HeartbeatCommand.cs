using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Commands;

/// <summary>Extends the lease held by the given token.</summary>
internal sealed class HeartbeatCommand(JobHeartbeat request) : StoreCommand<HeartbeatResult>
{
    protected override HeartbeatResult Run(CommandContext context)
    {
        var job = context.Table.Find(request.Id);
        if (job is null)
        {
            return new HeartbeatResult(SettleStatus.Unknown, null);
        }

        if (job.State != JobState.Active || job.LeaseToken != JobTable.ParseToken(request.Token))
        {
            return new HeartbeatResult(SettleStatus.Stale, null);
        }

        var extend = request.Extend ?? TimeSpan.FromSeconds(job.LeaseSeconds);
        var expiresAt = context.Now + extend.Ticks;
        context.Emit(new LeaseExtended(job.Id, expiresAt));
        return new HeartbeatResult(SettleStatus.Ok, Ticks.ToTime(expiresAt));
    }
}
