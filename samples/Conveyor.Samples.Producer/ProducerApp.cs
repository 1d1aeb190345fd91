using Conveyor.Client;

namespace Conveyor.Samples.Producer;

/// <summary>
/// A minimal API: <c>POST /signups {"email": "..."}</c> enqueues a typed job; <c>GET /signups/{jobId}</c> waits for it and
/// answers its result.
/// </summary>
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
            return Results.Accepted($"/signups/{id}", new SignupAccepted(id));
        });
        app.MapGet("/signups/{jobId}", async (string jobId, SignupService signups, CancellationToken cancellationToken) =>
        {
            // Long-polls the server until the worker's handler returned (no polling loop here or there).
            try
            {
                var sent = await signups.WaitForWelcomeAsync(jobId, TimeSpan.FromSeconds(20), cancellationToken);
                return Results.Ok(sent);
            }
            catch (TimeoutException)
            {
                return Results.Accepted($"/signups/{jobId}", new SignupAccepted(jobId));
            }
            catch (JobNotCompletedException e)
            {
                return Results.Problem(e.Message, statusCode: StatusCodes.Status409Conflict);
            }
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
