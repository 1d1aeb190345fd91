namespace Conveyor.Client.Tests;

public sealed class CountHandler(Probe probe) : IJobHandler<CountJob>
{
    public Task HandleAsync(CountJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        return Task.CompletedTask;
    }
}

public sealed class ThrowHandler(Probe probe) : IJobHandler<ThrowJob>
{
    public Task HandleAsync(ThrowJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        throw new InvalidOperationException(args.Why);
    }
}

public sealed class SleepHandler(Probe probe) : IJobHandler<SleepJob>
{
    public async Task HandleAsync(SleepJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        if (!args.OnlyFirstAttempt || context.Attempt == 1)
        {
            // Deliberately ignores cancellation: a slow handler that overruns its lease.
            await Task.Delay(args.Ms, CancellationToken.None);
        }
    }
}

public sealed class BlockHandler(Probe probe) : IJobHandler<BlockJob>
{
    public async Task HandleAsync(BlockJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        if (context.Attempt > 1)
        {
            return;
        }

        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            probe.Cancelled.Add(context.Id);
            throw;
        }
    }
}

/// <summary>Waits for its token on the first attempt (a handler past its timeout), and returns on later ones.</summary>
public sealed class TimeoutHandler(Probe probe) : IJobHandler<TimeoutJob>
{
    public async Task HandleAsync(TimeoutJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        if (context.Attempt > 1)
        {
            return;
        }

        await probe.HoldUntilCancelledAsync(context, cancellationToken);
    }
}

/// <summary>Runs until cancelled; its type has no policy, so only its registration sets a timeout.</summary>
public sealed class QueuedHoldHandler(Probe probe) : IJobHandler<QueuedHoldJob>
{
    public async Task HandleAsync(QueuedHoldJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        await probe.HoldUntilCancelledAsync(context, cancellationToken);
    }
}

/// <summary>Runs every attempt until cancelled, and records which attempts saw the cancellation.</summary>
public sealed class HoldHandler(Probe probe) : IJobHandler<HoldJob>
{
    public async Task HandleAsync(HoldJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        await probe.HoldUntilCancelledAsync(context, cancellationToken);
    }
}
