using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Worker loops that drain a queue over the Faktory protocol the way Faktory's own clients do: one connection
/// each, <c>HELLO</c> with a worker id, then <c>FETCH queue</c> → a no-op handler → <c>ACK {"jid"}</c>, one job at a
/// time. They stop once the pool has completed its target, or when the token fires.
/// </summary>
internal sealed class FaktoryWorkerPool(string host, int port, string queue)
{
    private long completed;
    private long stale;

    /// <summary>From a FETCH's request to its ACK's answer.</summary>
    public LatencySamples CycleLatency { get; } = new();

    /// <summary>ACKs the server refused: should stay 0.</summary>
    public long Stale => Interlocked.Read(ref stale);

    public async Task<long> RunAsync(int workers, long target, ProgressCounter progress, CancellationToken cancellationToken)
    {
        await WorkerLoops.RunAsync(workers, (i, done) => LoopAsync($"bench-fw{i}", target, progress, done), cancellationToken).ConfigureAwait(false);
        return Interlocked.Read(ref completed);
    }

    private async Task LoopAsync(string wid, long target, ProgressCounter progress, CancellationTokenSource done)
    {
        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(host, port, done.Token).ConfigureAwait(false);
        var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.UTF8, false, 64 * 1024, leaveOpen: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n", AutoFlush = false };
        await ExpectAsync(reader, "+HI", "greeting").ConfigureAwait(false);
        await SendAsync(writer, $$"""HELLO {"hostname":"bench","wid":"{{wid}}","pid":{{Environment.ProcessId}},"labels":["bench"],"v":2}""").ConfigureAwait(false);
        await ExpectAsync(reader, "+OK", "HELLO").ConfigureAwait(false);
        var fetch = "FETCH " + queue;
        try
        {
            while (!done.IsCancellationRequested && Interlocked.Read(ref completed) < target)
            {
                var started = Stopwatch.GetTimestamp();
                await SendAsync(writer, fetch).ConfigureAwait(false);
                var job = await ReadBulkAsync(reader).ConfigureAwait(false);
                if (job is null)
                {
                    continue;
                }

                string jid;
                using (var document = JsonDocument.Parse(job))
                {
                    jid = document.RootElement.GetProperty("jid").GetString() ?? throw new BenchException("FETCH answered a job without a jid");
                }

                // Settle even when the target is reached meanwhile: this lease is ours.
                await SendAsync(writer, $$"""ACK {"jid":"{{jid}}"}""").ConfigureAwait(false);
                var acked = await reader.ReadLineAsync(CancellationToken.None).ConfigureAwait(false);
                CycleLatency.Add(Stopwatch.GetTimestamp() - started);
                if (acked != "+OK")
                {
                    Interlocked.Increment(ref stale);
                }

                progress.Add(1);
                if (Interlocked.Increment(ref completed) >= target)
                {
                    await done.CancelAsync().ConfigureAwait(false);
                }
            }

            await SendAsync(writer, "END").ConfigureAwait(false);
        }
        catch (IOException) when (done.IsCancellationRequested)
        {
            // The phase ran out of time while a FETCH was blocked.
        }
    }

    private static async Task SendAsync(StreamWriter writer, string line)
    {
        await writer.WriteLineAsync(line).ConfigureAwait(false);
        await writer.FlushAsync().ConfigureAwait(false);
    }

    private static async Task ExpectAsync(StreamReader reader, string prefix, string what)
    {
        var line = await reader.ReadLineAsync().ConfigureAwait(false);
        if (line is null || !line.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new BenchException($"the Faktory port answered {what} with '{line}'");
        }
    }

    /// <summary>A bulk reply's text, or null for the nil reply <c>$-1</c> (FETCH found nothing within its wait).</summary>
    private static async Task<string?> ReadBulkAsync(StreamReader reader)
    {
        var header = await reader.ReadLineAsync().ConfigureAwait(false) ?? throw new BenchException("the Faktory port closed the connection");
        if (header.StartsWith('-'))
        {
            throw new BenchException($"FETCH answered '{header}'");
        }

        if (header == "$-1")
        {
            return null;
        }

        if (!header.StartsWith('$') || !int.TryParse(header.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new BenchException($"FETCH answered '{header}', not a bulk reply");
        }

        // Jobs are JSON on one line, so the bulk's payload is the next line.
        return await reader.ReadLineAsync().ConfigureAwait(false) ?? throw new BenchException("the Faktory port closed the connection mid-reply");
    }
}
