using Conveyor.Server.Dashboard.History;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Server.Dashboard;

/// <summary>Registers what the dashboard's endpoints use.</summary>
internal static class DashboardServiceCollectionExtensions
{
    public static void AddDashboard(this IServiceCollection services)
    {
        services.AddSingleton<DashboardAssets>();
        services.AddSingleton<BulkOperations>();
        services.AddSingleton<LiveSeries>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveSeries>());
        services.AddSingleton<MetricsHistory>();
        services.AddHostedService(sp => sp.GetRequiredService<MetricsHistory>());
    }
}
