using Conveyor.Storage.Embedded.State;

namespace Conveyor.Storage.Embedded.Commands;

/// <summary>A read of the state; never refused for storage trouble.</summary>
internal sealed class ReadCommand<T>(Func<JobTable, T> read) : StoreCommand<T>
{
    public override bool IsWrite => false;

    protected override T Run(CommandContext context) => read(context.Table);
}
