using System.Collections.Concurrent;

namespace Conveyor.Client.Tests;

/// <summary>What the middlewares and the scope handler saw, in order, with the job scope each ran in.</summary>
public sealed class PipelineLog
{
    public ConcurrentQueue<(string JobId, string Step, Guid Scope)> Steps { get; } = new();

    public IReadOnlyList<(string Step, Guid Scope)> Of(string jobId) => [.. Steps.Where(s => s.JobId == jobId).Select(s => (s.Step, s.Scope))];
}

/// <summary>One per job scope.</summary>
public sealed class JobScopeMarker
{
    public Guid Id { get; } = Guid.NewGuid();
}

public sealed class OuterMiddleware(PipelineLog log, JobScopeMarker scope) : IJobMiddleware
{
    public async Task InvokeAsync(JobContext context, JobDelegate next)
    {
        log.Steps.Enqueue((context.Id, "outer>", scope.Id));
        await next(context);
        log.Steps.Enqueue((context.Id, "<outer", scope.Id));
    }
}

public sealed class InnerMiddleware(PipelineLog log, JobScopeMarker scope) : IJobMiddleware
{
    public async Task InvokeAsync(JobContext context, JobDelegate next)
    {
        log.Steps.Enqueue((context.Id, "inner>", scope.Id));
        await next(context);
        log.Steps.Enqueue((context.Id, "<inner", scope.Id));
    }
}

/// <summary>Bad input cannot get better by retrying: fail such jobs for good.</summary>
public sealed class ErrorFilterMiddleware : IJobMiddleware
{
    public async Task InvokeAsync(JobContext context, JobDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (ArgumentException e)
        {
            throw new PermanentJobFailureException("bad input: " + e.Message, e);
        }
    }
}

public sealed class ScopeHandler(PipelineLog log, JobScopeMarker scope) : IJobHandler<ScopeJob>
{
    public Task HandleAsync(ScopeJob args, JobContext context, CancellationToken cancellationToken)
    {
        Assert.Equal(context.CancellationToken, cancellationToken);
        log.Steps.Enqueue((context.Id, "handler", scope.Id));
        return Task.CompletedTask;
    }
}
