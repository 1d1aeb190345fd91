using Conveyor.Broker;
using Conveyor.Core.Security;
using Conveyor.Server.Dashboard.History;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Server.Dashboard;

/// <summary>
/// The web dashboard at <c>/</c>: its static files (open: they hold no data; every figure comes from the <c>/v1</c> API
/// with the key the page was given) and its read calls: the session, the live series and the metrics history.
/// </summary>
internal static class DashboardEndpoints
{
    public static void MapDashboard(this WebApplication app, RouteGroupBuilder v1)
    {
        var assets = app.Services.GetRequiredService<DashboardAssets>();
        app.MapGet("/", (HttpContext context) => assets.Serve(context, "index.html")).ExcludeFromDescription().AllowWithoutKey();
        app.MapGet("/assets/{name}", (HttpContext context, string name) => assets.Serve(context, name)).ExcludeFromDescription().AllowWithoutKey();

        var dashboard = v1.MapGroup("/dashboard").WithTags("dashboard");
        dashboard.MapGet("/session", Session).WithName("GetDashboardSession").WithSummary("Whether keys are required, and what the calling key may do").RequireScope(ApiScope.Read);
        dashboard.MapGet("/live", Live).WithName("GetDashboardLive").WithSummary("Jobs enqueued, completed and failed, and pickup latency, per 2 s over the last hour").RequireScope(ApiScope.Read);
        dashboard.MapGet("/history", History).WithName("GetDashboardHistory")
            .WithSummary("Jobs completed and failed, and run times, per minute to per half hour over 1 h, 24 h or 7 d, for all jobs, a queue or a type")
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity).RequireScope(ApiScope.Read);
    }

    private static Ok<SessionView> Session(HttpContext context, ApiKeyRegistry keys)
    {
        if (ApiKeyAuthorization.KeyOf(context) is { } key)
        {
            return TypedResults.Ok(new SessionView(true, key.Name, [.. ApiScopes.All.Where(s => (key.Scopes & s) != 0).Select(s => s.ToName())], key.Scopes.Grants(ApiScope.Admin)));
        }

        return TypedResults.Ok(new SessionView(keys.HasKeys, null, [.. ApiScopes.All.Select(s => s.ToName())], true));
    }

    private static Ok<HistoryView> History(MetricsHistory history, string? range, string? queue, string? type)
    {
        var span = HistoryRange.Parse(range) ?? throw new RequestRejectedException("range", "must be 1h, 24h or 7d");
        if (!string.IsNullOrEmpty(queue) && !string.IsNullOrEmpty(type))
        {
            throw new RequestRejectedException("type", "give a queue or a type, not both: the history keeps one series per queue and one per type");
        }

        return TypedResults.Ok(history.Read(span, queue, type));
    }

    private static Ok<LiveView> Live(LiveSeries series, double? after) => TypedResults.Ok(series.Read(after ?? 0));
}
