using Conveyor.Storage.Embedded.Operations;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>Put on the writer's channel when a commit's fsync ends, to wake the loop; it runs nothing.</summary>
internal sealed class SyncEnded : StoreOperation
{
    public static readonly SyncEnded Instance = new();

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
