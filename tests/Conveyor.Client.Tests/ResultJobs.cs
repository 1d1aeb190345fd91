namespace Conveyor.Client.Tests;

/// <summary>Adds up 1..Count, reporting progress half way and waiting there for <see cref="ProgressGate"/>.</summary>
[JobType("test.sum")]
public sealed record SumJob(int Count);

/// <summary>What <see cref="SumHandler"/> returns.</summary>
public sealed record SumResult(int Total, string By);

/// <summary>Returns a result larger than the server keeps.</summary>
[JobType("test.huge-result")]
public sealed record HugeResultJob(int Bytes);

/// <summary>Holds a running <see cref="SumHandler"/> half way until the test lets it finish.</summary>
public sealed class ProgressGate
{
    private readonly TaskCompletionSource release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => release.TrySetResult();

    public Task WaitAsync(CancellationToken cancellationToken) => release.Task.WaitAsync(cancellationToken);
}

public sealed class SumHandler(ProgressGate gate) : IJobHandler<SumJob, SumResult>
{
    public async Task<SumResult> HandleAsync(SumJob args, JobContext context, CancellationToken cancellationToken)
    {
        await context.ReportProgressAsync(50, "half way", cancellationToken);
        await gate.WaitAsync(cancellationToken);
        return new SumResult(Enumerable.Range(1, args.Count).Sum(), context.Id);
    }
}

public sealed class HugeResultHandler : IJobHandler<HugeResultJob, string>
{
    public Task<string> HandleAsync(HugeResultJob args, JobContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new string('x', args.Bytes));
}
