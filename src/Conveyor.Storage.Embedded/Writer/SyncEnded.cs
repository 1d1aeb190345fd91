using Conveyor.Storage.Embedded.Operations;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>Put on the writer's channel when the fsync of the commit that made it ends, to wake the loop; it runs nothing.</summary>
internal sealed class SyncEnded : StoreOperation
{
    public override bool IsWrite => false;

    public override void Execute(OperationContext context)
    {
    }

    public override void Complete()
    {
    }

    public override void Fail(Exception error)
    {
    }
}
