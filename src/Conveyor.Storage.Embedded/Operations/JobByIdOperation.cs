using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>An operator command on one job (cancel, retry), checked against the transition table.</summary>
internal sealed class JobByIdOperation(string id, JobOperation operation) : StoreOperation<CommandResult>
{
    protected override CommandResult Run(OperationContext context)
    {
        var job = context.Table.Find(id);
        if (job is null)
        {
            return new CommandResult(CommandStatus.NotFound, null);
        }

        if (!JobTransitions.IsLegal(job.State, operation))
        {
            return new CommandResult(CommandStatus.Conflict, job.State);
        }

        if (operation == JobOperation.Cancel)
        {
            context.Emit(new JobCancelled(job.Key, context.Now));
        }
        else
        {
            context.Emit(new JobRetried(job.Key, context.Now));
            context.NotifyAvailable(job.Queue.Name);
        }

        return new CommandResult(CommandStatus.Ok, job.State);
    }
}
