using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// Opens a file for direct I/O (<c>O_DIRECT</c>), which .NET does not offer on Linux: its hidden
/// <c>FileOptions</c> value for unbuffered files reaches <c>open(2)</c> without the flag there (checked with strace).
/// </summary>
internal static class DirectIo
{
    /// <summary>The existing file opened read-write with <c>O_DIRECT</c>; null where that is not had (another OS or CPU, a file system that refuses it).</summary>
    public static SafeFileHandle? TryOpen(string fullPath)
    {
        if (!OperatingSystem.IsLinux() || DirectFlag() is not { } direct)
        {
            return null;
        }

        var fd = Libc.Open(fullPath, Libc.ReadWrite | Libc.CloseOnExec | direct);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>O_DIRECT's value differs between Linux's CPU ABIs.</summary>
    private static int? DirectFlag() => RuntimeInformation.ProcessArchitecture switch
    {
        Architecture.X64 or Architecture.X86 => 0x4000,
        Architecture.Arm64 or Architecture.Arm => 0x10000,
        _ => null,
    };
}
