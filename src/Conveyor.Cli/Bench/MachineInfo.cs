using System.Runtime.InteropServices;

namespace Conveyor.Cli.Bench;

/// <summary>A one-line description of the machine a run measured on.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var cpu = FirstValue("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var memory = FirstValue("/proc/meminfo", "MemTotal");
        return $"{Environment.ProcessorCount} cores ({cpu}), {memory ?? "? kB"} RAM, {RuntimeInformation.OSDescription}, .NET {Environment.Version}";
    }

    private static string? FirstValue(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (line.StartsWith(key, StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (IOException)
        {
            // Not Linux: the caller falls back.
        }

        return null;
    }
}
