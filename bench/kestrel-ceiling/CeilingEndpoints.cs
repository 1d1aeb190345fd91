using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Queues;
using Conveyor.Contracts.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.KestrelCeiling;

/// <summary>
/// The calls of the bench's e2e HTTP drain: <c>/healthz</c>, <c>/readyz</c>, <c>POST /v1/jobs</c>,
/// <c>POST /v1/jobs/batch</c>, <c>POST /v1/fetch</c> (with long poll), <c>POST /v1/settle</c> (acks) and
/// <c>GET /v1/stats</c> (the runtime figures the bench reports). Requests are read and answers written with the
/// contracts' source-generated JSON, except a fetch's job views, written as the server writes them with
/// <c>omit_defaults</c> (the members a worker cannot take as given).
/// </summary>
internal static class CeilingEndpoints
{
    public static void Map(WebApplication app)
    {
        var queues = app.Services.GetRequiredService<JobQueues>();
        app.MapGet("/healthz", static _ => Task.CompletedTask);
        app.MapGet("/readyz", static _ => Task.CompletedTask);
        app.MapGet("/v1/stats", (RequestDelegate)(context => context.Response.WriteAsJsonAsync(Stats(queues), ConveyorJsonContext.Default.StatsResponse)));
        app.MapPost("/v1/jobs", (RequestDelegate)(async context =>
        {
            var request = await Read(context, ConveyorJsonContext.Default.EnqueueRequest).ConfigureAwait(false);
            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsJsonAsync(new EnqueueResponse(queues.Enqueue(request, DateTimeOffset.UtcNow)), ConveyorJsonContext.Default.EnqueueResponse).ConfigureAwait(false);
        }));
        app.MapPost("/v1/jobs/batch", (RequestDelegate)(async context =>
        {
            var request = await Read(context, ConveyorJsonContext.Default.EnqueueBatchRequest).ConfigureAwait(false);
            var now = DateTimeOffset.UtcNow;
            var ids = (request.Jobs ?? []).Select(job => queues.Enqueue(job, now)).ToList();
            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsJsonAsync(new EnqueueBatchResponse(ids), ConveyorJsonContext.Default.EnqueueBatchResponse).ConfigureAwait(false);
        }));
        app.MapPost("/v1/fetch", (RequestDelegate)(context => FetchAsync(context, queues)));
        app.MapPost("/v1/settle", (RequestDelegate)(async context =>
        {
            var request = await Read(context, ConveyorJsonContext.Default.SettleRequest).ConfigureAwait(false);
            var results = (request.Ack ?? []).Select(ack => new SettleItemResult(ack.Id ?? "", queues.Ack(ack.Id, ack.Token))).ToList();
            await context.Response.WriteAsJsonAsync(new SettleResponse(results), ConveyorJsonContext.Default.SettleResponse).ConfigureAwait(false);
        }));
    }

    private static async Task FetchAsync(HttpContext context, JobQueues queues)
    {
        var request = await Read(context, ConveyorJsonContext.Default.FetchRequest).ConfigureAwait(false);
        var taken = await queues.FetchAsync(
            request.Queues is { Count: > 0 } names ? names : ["default"],
            Math.Max(1, request.Max ?? 1),
            TimeSpan.FromMilliseconds(request.WaitMs ?? 0),
            context.RequestAborted).ConfigureAwait(false);
        var expires = DateTimeOffset.UtcNow.AddSeconds(1800);
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteStartArray("jobs");
        foreach (var (job, token) in taken)
        {
            json.WriteStartObject();
            json.WriteString("id", job.Id);
            json.WriteString("queue", job.Queue);
            json.WriteString("type", job.Type);
            json.WritePropertyName("args");
            json.WriteRawValue(job.Args.Utf8.Span, skipInputValidation: true);
            json.WriteNumber("attempt", 1);
            json.WriteString("created_at", job.CreatedAt);
            json.WriteStartObject("lease");
            json.WriteString("token", token);
            if (request.WorkerId is { } worker)
            {
                json.WriteString("worker_id", worker);
            }

            json.WriteString("expires_at", expires);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task<T> Read<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        await context.Request.ReadFromJsonAsync(type, context.RequestAborted).ConfigureAwait(false)
            ?? throw new BadHttpRequestException("empty body");

    private static StatsResponse Stats(JobQueues queues) => new(new Dictionary<string, long>(), queues.Processed, 0, 0)
    {
        Runtime = new RuntimeStatsView(
            GC.GetTotalPauseDuration().TotalMilliseconds, GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2),
            GC.GetGCMemoryInfo().HeapSizeBytes, GC.GetTotalAllocatedBytes(),
            System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds),
    };
}
