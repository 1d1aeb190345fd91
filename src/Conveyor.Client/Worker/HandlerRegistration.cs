using Conveyor.Contracts.Jobs;

namespace Conveyor.Client.Worker;

/// <summary>One registered handler: the job type it serves and how to run it from a job's raw arguments.</summary>
internal abstract class HandlerRegistration
{
    /// <summary>The job type: the one given at registration, else the args type's mapping or attribute.</summary>
    public abstract string ResolveJobType(ConveyorClientOptions options);

    /// <summary>How long an attempt may run (the registration's timeout, else the args type's policy); null: no limit. A job's own <c>timeout_seconds</c> wins.</summary>
    public abstract TimeSpan? Timeout(ConveyorClientOptions options);

    /// <summary>Deserializes the arguments and runs the handler resolved from <paramref name="services"/> (the job's scope).</summary>
    public abstract Task InvokeAsync(IServiceProvider services, JobView job, JobContext context, ConveyorClientOptions options, CancellationToken cancellationToken);

    /// <summary>The timeout of <paramref name="argsType"/>'s policy (attribute or options), or null.</summary>
    protected static TimeSpan? PolicyTimeout(Type argsType, ConveyorClientOptions options) =>
        JobTypeResolver.PolicyOf(argsType, options).TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
}
