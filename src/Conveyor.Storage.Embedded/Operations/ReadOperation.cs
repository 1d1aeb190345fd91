using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Operations;

/// <summary>A read of the state; never refused for storage trouble.</summary>
internal sealed class ReadOperation<T>(Func<JobTable, T> read) : StoreOperation<T>
{
    public override bool IsWrite => false;

    protected override T Run(OperationContext context) => read(context.Table);
}
