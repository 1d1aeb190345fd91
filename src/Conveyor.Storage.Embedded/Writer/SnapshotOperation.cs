using Conveyor.Storage.Embedded.Operations;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>A snapshot request queued like any command, so it runs between batches, never inside one.</summary>
internal sealed class SnapshotOperation(StoreWriter writer) : StoreOperation
{
    public TaskCompletionSource<bool> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Run() => Completion.TrySetResult(writer.TrySnapshot());

    public override void Execute(OperationContext context) => throw new InvalidOperationException("snapshots run between batches");

    public override void Complete()
    {
    }

    public override void Fail(Exception error) => Completion.TrySetException(error);
}
