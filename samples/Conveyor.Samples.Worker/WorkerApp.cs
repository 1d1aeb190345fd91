using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Conveyor.Samples.Worker;

/// <summary>A generic-host worker that runs <c>email.welcome</c> jobs from the <c>mail</c> queue and a daily digest from a schedule.</summary>
public static class WorkerApp
{
    /// <summary>Composes the host; <c>--Conveyor:ServerUrl</c> overrides the default server (127.0.0.1:7420).</summary>
    public static HostApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddConveyorClient(conveyor =>
        {
            conveyor.ServerUrl = new Uri(builder.Configuration["Conveyor:ServerUrl"] ?? "http://127.0.0.1:7420/");
            conveyor.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default);
        });
        builder.Services
            .AddConveyorWorker(worker => worker.AddQueue("mail", concurrency: 4).AddQueue("reports", concurrency: 1))
            .AddHandler<SendWelcomeEmail, WelcomeEmailSent, SendWelcomeEmailHandler>()
            .AddHandler<DailyDigest, DailyDigestHandler>();
        builder.Services.AddHostedService<DigestSchedule>();
        return builder;
    }
}
