using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Conveyor.Server.Delivery;

/// <summary>
/// Tells whether an answer already handed to the kernel reached the client: the client's TCP acknowledged every byte
/// of it, or the connection failed first. Kestrel cannot tell: its flush hands the bytes to the kernel's send queue
/// (up to <c>net.ipv4.tcp_wmem</c>'s maximum, 4 MiB by default) and returns; a reset that arrives later discards them and
/// is reported to no request. This reads the socket itself (Linux only): the stream position the answer ends at, then
/// <c>TCP_INFO</c>'s acknowledged byte count until it reaches that position or the socket is closed by a reset.
/// </summary>
/// <remarks>
/// It works on a duplicate of the socket's descriptor, so Kestrel closing its own (after the client went away) does
/// not take the socket from under the check: the kernel keeps its counters until the duplicate is closed too.
/// </remarks>
internal sealed class TcpDelivery : IDisposable
{
    private const byte ClosedState = 7; // TCP_CLOSE: reset, or closed after both sides' FINs
    private const int AcknowledgedOffset = 120; // tcpi_bytes_acked (Linux 4.1+)
    private const int InfoBytes = 232;
    private static readonly TimeSpan LongestPause = TimeSpan.FromMilliseconds(50);

    private readonly int fd;
    private readonly byte[] info = new byte[InfoBytes];

    private TcpDelivery(int fd) => this.fd = fd;

    /// <summary>
    /// Watches <paramref name="socket"/>; <paramref name="outcome"/> is <see cref="DeliveryOutcome.ConnectionFailed"/> when
    /// Kestrel already closed it (its send loop failed), <see cref="DeliveryOutcome.Unknown"/> where this cannot be told.
    /// </summary>
    public static TcpDelivery? Watch(Socket socket, out DeliveryOutcome outcome)
    {
        outcome = DeliveryOutcome.Unknown;
        if (!OperatingSystem.IsLinux() || socket.ProtocolType != ProtocolType.Tcp)
        {
            return null;
        }

        SafeSocketHandle? handle = null;
        var added = false;
        try
        {
            handle = socket.SafeHandle;
            handle.DangerousAddRef(ref added);
            var duplicate = SocketCalls.Duplicate(handle.DangerousGetHandle());
            return duplicate < 0 ? null : new TcpDelivery(duplicate);
        }
        catch (ObjectDisposedException)
        {
            // Kestrel closes the socket when its send loop fails (before it completes the pipe a flush waits on).
            outcome = DeliveryOutcome.ConnectionFailed;
            return null;
        }
        finally
        {
            if (added)
            {
                handle!.DangerousRelease();
            }
        }
    }

    /// <summary>
    /// The stream position (in bytes acknowledged) that everything written to the socket so far ends at; null when the
    /// socket cannot tell. Read as acknowledged + unacknowledged with the acknowledged count unchanged around it.
    /// </summary>
    public long? WrittenEnd()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            if (Read() is not { } before || SocketCalls.IoControl(fd, SocketCalls.SendQueue, out var queued) != 0 || Read() is not { } after)
            {
                return null;
            }

            if (before.Acknowledged == after.Acknowledged)
            {
                return before.Acknowledged + queued;
            }
        }

        return null;
    }

    /// <summary>
    /// Waits until the client acknowledged up to <paramref name="end"/> (<see cref="DeliveryOutcome.Acknowledged"/>), the
    /// connection closed short of it (<see cref="DeliveryOutcome.ConnectionFailed"/>), or <paramref name="limit"/> passed
    /// or <paramref name="stop"/> fired first (<see cref="DeliveryOutcome.Unknown"/>).
    /// </summary>
    public async Task<DeliveryOutcome> WaitAsync(long end, TimeSpan limit, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        var pause = TimeSpan.FromMilliseconds(1);
        while (true)
        {
            if (Read() is not { } now)
            {
                return DeliveryOutcome.Unknown;
            }

            if (now.Acknowledged >= end)
            {
                return DeliveryOutcome.Acknowledged;
            }

            if (now.State == ClosedState)
            {
                return DeliveryOutcome.ConnectionFailed;
            }

            if (stop.IsCancellationRequested || Stopwatch.GetElapsedTime(started) >= limit)
            {
                return DeliveryOutcome.Unknown;
            }

            try
            {
                await Task.Delay(pause, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return DeliveryOutcome.Unknown;
            }

            pause = pause * 2 < LongestPause ? pause * 2 : LongestPause;
        }
    }

    public void Dispose() => SocketCalls.Close(fd);

    private (byte State, long Acknowledged)? Read()
    {
        var length = InfoBytes;
        if (SocketCalls.GetSocketOption(fd, SocketCalls.TcpLevel, SocketCalls.TcpInfo, info, ref length) != 0 || length < AcknowledgedOffset + 8)
        {
            return null;
        }

        return (info[0], (long)MemoryMarshal.Read<ulong>(info.AsSpan(AcknowledgedOffset)));
    }
}
