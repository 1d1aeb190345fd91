using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

public sealed class MiddlewareTests
{
    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Middleware_Registered_RunsInOrderAroundTheHandlerInTheJobsScope(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        var log = new PipelineLog();
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 1), build: Pipeline(log));

        var first = await server.Client.EnqueueAsync(new ScopeJob("a"));
        var second = await server.Client.EnqueueAsync(new ScopeJob("b"));

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(second))!.State == "completed"
            && (await server.Client.GetAsync(first))!.State == "completed", "both jobs to complete");
        var steps = log.Of(first);
        Assert.Equal(["outer>", "inner>", "handler", "<inner", "<outer"], steps.Select(s => s.Step));
        Assert.Single(steps.Select(s => s.Scope).Distinct());
        Assert.NotEqual(steps[0].Scope, log.Of(second)[0].Scope);
    }

    [Theory]
    [MemberData(nameof(Transports.Both), MemberType = typeof(Transports))]
    public async Task Middleware_ErrorFilter_TurnsAnArgumentExceptionIntoAPermanentFailure(string transport)
    {
        await using var server = await TestServer.StartAsync(transport);
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 1), build: Pipeline(new PipelineLog()));

        var id = await server.Client.EnqueueAsync(new BadInputJob("no such plan"), new JobOptions { MaxAttempts = 5 });

        await Eventually.HoldsAsync(async () => (await server.Client.GetAsync(id))!.State == "dead", "the job to die");
        var failure = Assert.Single((await server.Client.GetAsync(id))!.Failures);
        Assert.Equal("bad input: no such plan", failure.Message);
        Assert.Equal(1, worker.Probe.Calls[id]);
    }

    private static Action<ConveyorWorkerBuilder> Pipeline(PipelineLog log) => builder =>
    {
        builder.Services.AddSingleton(log);
        builder.Services.AddScoped<JobScopeMarker>();
        builder.UseMiddleware<OuterMiddleware>()
            .UseMiddleware<InnerMiddleware>()
            .UseMiddleware<ErrorFilterMiddleware>()
            .AddHandler<ScopeJob, ScopeHandler>();
    };
}
