using System.Globalization;

namespace Conveyor.Cli.Bench;

/// <summary>
/// Reads a process's resident set (<c>VmRSS</c>, <c>VmHWM</c> in <c>/proc/PID/status</c>) and CPU time
/// (<c>utime + stime</c> in <c>/proc/PID/stat</c>). Linux only; elsewhere, or once the process is gone, null.
/// </summary>
internal static class ProcessSampler
{
    // USER_HZ: the unit of utime/stime. It is 100 on every Linux ABI .NET runs on; reading it would need sysconf(3).
    private const double ClockTicksPerSecond = 100;

    public static ProcessSample? Sample(int pid)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return new ProcessSample(KiloBytes(status, "VmRSS:") * 1024, KiloBytes(status, "VmHWM:") * 1024, CpuSeconds(stat));
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long KiloBytes(string[] status, string key)
    {
        foreach (var line in status)
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                var value = line[key.Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }

    private static double CpuSeconds(string stat)
    {
        // The command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

        // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return ticks / ClockTicksPerSecond;
    }
}
