using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Broker.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Protocol.Faktory;
using Conveyor.Server.Delivery;
using Conveyor.Server.Hosting;
using Conveyor.Server.Security;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Faktory;

/// <summary>
/// One Faktory connection: refused past <see cref="FaktoryLimits.MaxConnections"/>, else greeting, HELLO within
/// <see cref="FaktoryLimits.HandshakeTimeout"/>, then one command at a time through <see cref="FaktoryVerbTable"/>.
/// A failing command answers <c>-ERR</c> and the connection stays; only END, a bad handshake, an oversize line,
/// <see cref="FaktoryLimits.IdleTimeout"/> without a line or the client closing end it.
/// </summary>
internal sealed partial class FaktoryConnectionHandler(
    BrokerRuntime runtime,
    WorkerRegistry workers,
    FaktoryServerState server,
    ConveyorServerOptions options,
    ApiKeyRegistry keys,
    ProtectedMode protectedMode,
    FaktoryRefusalLog refusals,
    IHostApplicationLifetime lifetime,
    ILogger<FaktoryConnectionHandler> logger)
    : ConnectionHandler
{
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

    private readonly FaktoryLimits limits = options.FaktoryLimits;

    public override async Task OnConnectedAsync(ConnectionContext connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var open = server.Opened();
        try
        {
            if (open > limits.MaxConnections)
            {
                // Refused before the greeting, so a flood of connections costs no handshake work. Faktory's words.
                await CloseWithErrorAsync(connection.Transport, $"too many connections: {open}").ConfigureAwait(false);
                return;
            }

            // Over TLS a flush says nothing about what reached the socket: only plain connections are confirmed there.
            var socket = connection.Features.Get<ITlsHandshakeFeature>() is null ? connection.Features.Get<IConnectionSocketFeature>()?.Socket : null;
            await RunAsync(connection.Transport, socket, connection.RemoteEndPoint?.ToString(), connection.ConnectionClosed).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or ConnectionResetException or OperationCanceledException or ConnectionAbortedException)
        {
            // The client went away.
        }
        finally
        {
            server.Closed();
        }
    }

    private async Task RunAsync(IDuplexPipe transport, Socket? socket, string? remote, CancellationToken closed)
    {
        var session = new FaktorySession(runtime, workers, server);
        await keys.RefreshIfDueAsync(closed).ConfigureAwait(false);
        var handshake = new FaktoryHandshake(options.FaktoryPassword, keys, protectedMode.RefusesWithoutKeys);
        handshake.WriteGreeting(transport.Output);
        await transport.Output.FlushAsync(closed).ConfigureAwait(false);

        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(closed))
        {
            timeout.CancelAfter(limits.HandshakeTimeout);
            FaktoryCommandLine? hello;
            try
            {
                hello = await ReadLineAsync(transport.Input, FaktoryLimits.HelloLineBytes, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                await CloseWithErrorAsync(transport, "handshake timed out").ConfigureAwait(false);
                return;
            }

            var refusal = hello is null ? $"HELLO line too long (limit {FaktoryLimits.HelloLineBytes} bytes)" : handshake.Accept(hello.Value, session, workers);
            if (refusal is not null)
            {
                refusals.Refused(remote, refusal);
                await CloseWithErrorAsync(transport, refusal).ConfigureAwait(false);
                return;
            }

            FaktoryReply.Ok.WriteTo(transport.Output);
            await transport.Output.FlushAsync(closed).ConfigureAwait(false);
        }

        // Only the wait for the next line counts as idle: a command that runs (a FETCH waiting for a job) does not.
        using var idle = new FaktoryIdleTimer(closed);
        while (!closed.IsCancellationRequested)
        {
            FaktoryCommandLine? line;
            try
            {
                line = await ReadLineAsync(transport.Input, limits.MaxLineBytes, idle.Start(limits.IdleTimeout)).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!closed.IsCancellationRequested)
            {
                await CloseWithErrorAsync(transport, FormattableString.Invariant($"idle for {limits.IdleTimeout.TotalSeconds:0.###} s; closing")).ConfigureAwait(false);
                return;
            }

            idle.Stop();
            if (line is null)
            {
                await CloseWithErrorAsync(transport, $"line too long (limit {limits.MaxLineBytes} bytes); closing").ConfigureAwait(false);
                return;
            }

            var reply = await ExecuteAsync(line.Value, session, closed).ConfigureAwait(false);
            if (reply.Kind == FaktoryReplyKind.Close)
            {
                return;
            }

            await WriteReplyAsync(transport.Output, socket, reply, session, closed).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes a reply; a FETCH whose job did not reach the client hands its lease back instead of letting it expire. A job
    /// of <see cref="AnswerDelivery.ConfirmedBytes"/> or more is confirmed at the socket: the client's TCP acknowledged it,
    /// or the connection failed first (the flush only says it reached the kernel's send queue).
    /// </summary>
    private async Task WriteReplyAsync(PipeWriter output, Socket? socket, FaktoryReply reply, FaktorySession session, CancellationToken closed)
    {
        if (reply.Leased is not { } leased)
        {
            reply.WriteTo(output);
            await output.FlushAsync(closed).ConfigureAwait(false);
            return;
        }

        FlushResult flushed;
        try
        {
            reply.WriteTo(output);
            flushed = await output.FlushAsync(closed).ConfigureAwait(false);
        }
        catch
        {
            await session.Broker.ReleaseAsync(leased).ConfigureAwait(false);
            throw;
        }

        if (flushed.IsCanceled || flushed.IsCompleted
            || (socket is not null && reply.Bytes?.Length >= AnswerDelivery.ConfirmedBytes
                && await ConfirmAsync(socket, leased).ConfigureAwait(false) == DeliveryOutcome.ConnectionFailed))
        {
            await session.Broker.ReleaseAsync(leased).ConfigureAwait(false);
        }
    }

    private async Task<DeliveryOutcome> ConfirmAsync(Socket socket, IReadOnlyList<JobInfo> leased)
    {
        using var delivery = TcpDelivery.Watch(socket, out var outcome);
        if (delivery?.WrittenEnd() is not { } end)
        {
            return outcome;
        }

        var expires = leased.Min(job => job.Lease?.ExpiresAt) ?? options.Time.GetUtcNow();
        var limit = expires - options.Time.GetUtcNow();
        return await delivery.WaitAsync(end, limit > TimeSpan.Zero ? limit : TimeSpan.Zero, lifetime.ApplicationStopping).ConfigureAwait(false);
    }

    private async ValueTask<FaktoryReply> ExecuteAsync(FaktoryCommandLine line, FaktorySession session, CancellationToken closed)
    {
        server.CommandRan();
        if (!FaktoryVerbTable.Verbs.TryGetValue(line.Verb, out var command))
        {
            return FaktoryReply.Error(line.Verb.Length == 0 ? "unknown command" : $"unknown command {line.Verb}");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(closed);
        timeout.CancelAfter(CommandTimeout);
        try
        {
            return await command.ExecuteAsync(session, line.Payload, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FaktoryVerbException or RequestRejectedException or ServiceNotReadyException or StorageUnavailableException)
        {
            return FaktoryReply.Error(ex.Message);
        }
        catch (JsonException)
        {
            // Its message names .NET types; the payloads' own errors are described by FaktoryJson.
            return FaktoryReply.Error($"{line.Verb}: invalid JSON");
        }
        catch (StorageFullException)
        {
            return FaktoryReply.Error("storage full: the server is at its memory budget and takes no new jobs; retry later");
        }
        catch (JobIdConflictException conflict)
        {
            // Faktory clients know the id as the jid; nothing of a PUSHB was written.
            return FaktoryReply.Error($"jid {conflict.Id} exists with a different jobtype or args");
        }
        catch (OperationCanceledException) when (!closed.IsCancellationRequested)
        {
            return FaktoryReply.Error($"{line.Verb} timed out after {CommandTimeout.TotalSeconds} s");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogCommandCrashed(line.Verb, ex);
            return FaktoryReply.Error("internal error");
        }
    }

    /// <summary>
    /// The next command line; null when a line exceeds <paramref name="maxLineBytes"/>. Throws when the client closed
    /// mid-line. The payload is copied out and the line consumed, so the transport's pipe hands its segments back to
    /// the shared pool at once: a large PUSH leaves no large buffer behind on the connection.
    /// </summary>
    private static async ValueTask<FaktoryCommandLine?> ReadLineAsync(PipeReader input, int maxLineBytes, CancellationToken cancellationToken)
    {
        while (true)
        {
            var read = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = read.Buffer;
            var status = FaktoryParser.TryParse(ref buffer, maxLineBytes, out var command);
            switch (status)
            {
                case ParseStatus.Command:
                    input.AdvanceTo(buffer.Start);
                    return command;
                case ParseStatus.LineTooLong:
                    input.AdvanceTo(read.Buffer.End);
                    return null;
                default:
                    input.AdvanceTo(buffer.Start, read.Buffer.End);
                    if (read.IsCompleted || read.IsCanceled)
                    {
                        throw new ConnectionAbortedException("the client closed the connection");
                    }

                    break;
            }
        }
    }

    private static async Task CloseWithErrorAsync(IDuplexPipe transport, string message)
    {
        FaktoryReply.Error(message).WriteTo(transport.Output);
        await transport.Output.FlushAsync().ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Faktory command {Verb} failed")]
    private partial void LogCommandCrashed(string verb, Exception exception);
}
