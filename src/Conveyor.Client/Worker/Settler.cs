using System.Threading.Channels;
using Conveyor.Client.Diagnostics;
using Conveyor.Contracts.Workers;
using Microsoft.Extensions.Logging;

namespace Conveyor.Client.Worker;

/// <summary>
/// Batches acks and fails into <c>POST /v1/settle</c> calls. Whatever finished while one call was in flight goes in
/// the next, so a busy worker settles in large batches and an idle one without delay.
/// </summary>
internal sealed class Settler
{
    private const int MaxBatch = 1000;
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);
    private readonly Channel<Settlement> pending = Channel.CreateUnbounded<Settlement>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IWorkerTransport api;
    private readonly WorkerTelemetry telemetry;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource abandon = new();
    private Task loop = Task.CompletedTask;

    public Settler(IWorkerTransport api, WorkerTelemetry telemetry, TimeProvider time, ILogger logger)
    {
        this.api = api;
        this.telemetry = telemetry;
        this.time = time;
        this.logger = logger;
    }

    public void Start() => loop = Task.Run(RunAsync);

    public void Add(Settlement settlement) => pending.Writer.TryWrite(settlement);

    /// <summary>Sends everything added so far, then stops; gives up on what is left when <paramref name="cancellationToken"/> fires.</summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        pending.Writer.TryComplete();
        using var registration = cancellationToken.Register(abandon.Cancel);
        await loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var batch = new List<Settlement>(MaxBatch);
        while (await pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && pending.Reader.TryRead(out var settlement))
            {
                batch.Add(settlement);
            }

            await SendAsync(batch).ConfigureAwait(false);
            batch.Clear();
        }
    }

    private async Task SendAsync(List<Settlement> batch)
    {
        var request = new SettleRequest
        {
            Ack = [.. batch.Where(s => s.Ack is not null).Select(s => s.Ack!)],
            Fail = [.. batch.Where(s => s.Fail is not null).Select(s => s.Fail!)],
        };
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                var results = await api.SettleAsync(request, abandon.Token).ConfigureAwait(false);
                Report(results);
                return;
            }
            catch (ConveyorApiException e) when ((int)e.StatusCode is >= 400 and < 500)
            {
                // The server refused the batch as invalid; sending it again cannot help.
                logger.SettleAbandoned(e, batch.Count);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !abandon.IsCancellationRequested)
            {
                logger.SettleFailed(e, batch.Count, delay);
            }
            catch (OperationCanceledException)
            {
                logger.SettleAbandoned(null, batch.Count);
                return;
            }

            try
            {
                await Task.Delay(delay, time, abandon.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                logger.SettleAbandoned(null, batch.Count);
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
        }
    }

    private void Report(IReadOnlyList<SettleItemResult> results)
    {
        foreach (var result in results)
        {
            if (result.Status != "ok")
            {
                telemetry.Stale();
                logger.SettleRefused(result.Id, result.Status);
            }
        }
    }
}
