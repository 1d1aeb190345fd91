using Conveyor.Client;

namespace Conveyor.Samples.Producer;

/// <summary>A minimal API whose one endpoint enqueues a typed job: <c>POST /signups {"email": "..."}</c>.</summary>
public static class ProducerApp
{
    /// <summary>Builds the app; <c>--urls</c> and <c>--Conveyor:ServerUrl</c> override the defaults (127.0.0.1:5080, 127.0.0.1:7420).</summary>
    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseUrls(builder.Configuration["urls"] ?? "http://127.0.0.1:5080");
        builder.Services.ConfigureHttpJsonOptions(json => json.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default));
        builder.Services.AddConveyorClient(conveyor =>
        {
            conveyor.ServerUrl = new Uri(builder.Configuration["Conveyor:ServerUrl"] ?? "http://127.0.0.1:7420/");
            ConfigureJobs(conveyor);
        });
        builder.Services.AddScoped<SignupService>();

        var app = builder.Build();
        app.MapPost("/signups", async (Signup signup, SignupService signups, CancellationToken cancellationToken) =>
        {
            // The request's trace context travels in the job's meta, so the worker's span joins this trace.
            var id = await signups.AcceptAsync(signup, cancellationToken);
            return Results.Accepted($"/jobs/{id}", new SignupAccepted(id));
        });
        return app;
    }

    /// <summary>What the app's jobs need from the client options (their JSON); tests give it to a fake client too.</summary>
    public static void ConfigureJobs(ConveyorClientOptions conveyor)
    {
        ArgumentNullException.ThrowIfNull(conveyor);
        conveyor.SerializerOptions.TypeInfoResolverChain.Insert(0, SampleJsonContext.Default);
    }
}
