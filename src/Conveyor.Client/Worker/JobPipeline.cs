namespace Conveyor.Client.Worker;

/// <summary>The registered middlewares around a handler, resolved from the job's scope each attempt.</summary>
internal sealed class JobPipeline
{
    private readonly MiddlewareRegistration[] middlewares;

    public JobPipeline(IEnumerable<MiddlewareRegistration> middlewares)
    {
        this.middlewares = [.. middlewares];
    }

    public Task RunAsync(IServiceProvider services, JobContext context, JobDelegate handler)
    {
        var next = handler;
        for (var i = middlewares.Length - 1; i >= 0; i--)
        {
            var middleware = middlewares[i].Resolve(services);
            var inner = next;
            next = c => middleware.InvokeAsync(c, inner);
        }

        return next(context);
    }
}
