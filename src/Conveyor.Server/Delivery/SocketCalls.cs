using System.Runtime.InteropServices;

namespace Conveyor.Server.Delivery;

/// <summary>
/// The Linux socket calls .NET has no API for: a second descriptor for a connection's socket, its send queue
/// (<c>SIOCOUTQ</c>) and <c>TCP_INFO</c>. DllImport with blittable arguments, so no unsafe code is needed and the stubs
/// are precompiled under Native AOT.
/// </summary>
internal static class SocketCalls
{
    /// <summary><c>SIOCOUTQ</c> (= <c>TIOCOUTQ</c>): bytes written to the socket that the peer has not acknowledged.</summary>
    public const ulong SendQueue = 0x5411;

    public const int TcpLevel = 6; // IPPROTO_TCP
    public const int TcpInfo = 11; // TCP_INFO

    [DllImport("libc", EntryPoint = "dup", SetLastError = true)]
    public static extern int Duplicate(IntPtr fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    public static extern int Close(int fd);

    [DllImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    public static extern int IoControl(int fd, ulong request, out int value);

    [DllImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static extern int GetSocketOption(int fd, int level, int name, [Out] byte[] value, ref int length);
}
