namespace Conveyor.Cli.Bench;

/// <summary>One reading of a process's memory and CPU time from <c>/proc</c>.</summary>
internal readonly record struct ProcessSample(long RssBytes, long PeakRssBytes, double CpuSeconds);
