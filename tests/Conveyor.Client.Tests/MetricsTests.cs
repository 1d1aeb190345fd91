using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Worker_JobsSucceedAndFail_CountsThemAndRecordsDurations()
    {
        await using var server = await TestServer.StartAsync();
        await using var worker = await TestWorker.StartAsync(server, o => o.AddQueue("default", 2));
        var factory = worker.Services.GetRequiredService<IMeterFactory>();
        var totals = new ConcurrentDictionary<string, double>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == ConveyorDiagnostics.MeterName && instrument.Meter.Scope == factory)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => totals.AddOrUpdate(instrument.Name, value, (_, t) => t + value));
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => totals.AddOrUpdate(instrument.Name, 1, (_, t) => t + 1));
        listener.Start();

        await server.Client.EnqueueBatchAsync([new CountJob(1), new CountJob(2)]);
        await server.Client.EnqueueAsync(new ThrowJob("no"), new JobOptions { MaxAttempts = 1 });

        await Eventually.HoldsAsync(() => totals.GetValueOrDefault(ConveyorDiagnostics.JobDuration) >= 3, "three durations");
        Assert.Equal(2, totals[ConveyorDiagnostics.JobsProcessed]);
        Assert.Equal(1, totals[ConveyorDiagnostics.JobsFailed]);
    }
}
