using Conveyor.Client;
using Microsoft.Extensions.Logging;

namespace Conveyor.Samples.Worker;

/// <summary>"Builds" the daily digest by logging it, with the tick it runs for (the job's <c>cron_tick</c> meta).</summary>
public sealed partial class DailyDigestHandler : IJobHandler<DailyDigest>
{
    private readonly ILogger<DailyDigestHandler> logger;

    /// <summary>Takes its dependencies from DI.</summary>
    public DailyDigestHandler(ILogger<DailyDigestHandler> logger)
    {
        this.logger = logger;
    }

    /// <inheritdoc />
    public Task HandleAsync(DailyDigest args, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        Built(args.Audience, context.Meta.TryGetValue("cron_tick", out var tick) ? tick : "(not from a schedule)", context.Id);
        return Task.CompletedTask;
    }

    [LoggerMessage(2, LogLevel.Information, "Daily digest for {Audience} built for tick {Tick} (job {JobId})")]
    private partial void Built(string audience, string tick, string jobId);
}
