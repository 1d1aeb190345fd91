namespace Conveyor.Storage.Embedded.Operations;

/// <summary>
/// One store operation, executed on the writer loop. <see cref="Execute"/> decides against the current
/// state and emits events (applied at once, logged in the batch); the caller is completed only after
/// the batch is durable, unless the operation says it <see cref="AnswersEarly"/>.
/// </summary>
internal abstract class StoreOperation
{
    /// <summary>False for reads: they are answered even while writes are refused.</summary>
    public virtual bool IsWrite => true;

    /// <summary>Set by <see cref="Execute"/> when the caller may be answered before the batch's commit (<see cref="LazyLeases"/>).</summary>
    public bool AnswersEarly { get; protected set; }

    public abstract void Execute(OperationContext context);

    public abstract void Complete();

    public abstract void Fail(Exception error);
}

/// <summary>A store operation with a result.</summary>
internal abstract class StoreOperation<T> : StoreOperation
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? result;

    public Task<T> Task => completion.Task;

    public override void Execute(OperationContext context) => result = Run(context);

    protected abstract T Run(OperationContext context);

    /// <summary>Sets the answer <see cref="Complete"/> will give without running (a wait that ends empty).</summary>
    protected void SetResult(T value) => result = value;

    public override void Complete() => completion.TrySetResult(result!);

    public override void Fail(Exception error) => completion.TrySetException(error);
}
