namespace Conveyor.Client.Tests;

/// <summary>Fails for good on the first attempt.</summary>
public sealed class PermanentHandler(Probe probe) : IJobHandler<PermanentJob>
{
    public Task HandleAsync(PermanentJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        throw new PermanentJobFailureException(args.Why, new FormatException("the cause"));
    }
}

/// <summary>Asks for a retry in the given number of seconds on its first attempt; completes later ones.</summary>
public sealed class RetryLaterHandler(Probe probe) : IJobHandler<RetryLaterJob>
{
    public Task HandleAsync(RetryLaterJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        return context.Attempt == 1 ? throw new RetryJobException(TimeSpan.FromSeconds(args.Seconds), "rate limited") : Task.CompletedTask;
    }
}

/// <summary>Throws an <see cref="ArgumentException"/>, which the error-filter middleware turns into a permanent failure.</summary>
public sealed class BadInputHandler(Probe probe) : IJobHandler<BadInputJob>
{
    public Task HandleAsync(BadInputJob args, JobContext context, CancellationToken cancellationToken)
    {
        using var _ = probe.Enter(context);
        throw new ArgumentException(args.Why);
    }
}
