namespace Conveyor.Cli.Bench;

/// <summary>How the <c>bench</c> process runs itself, so that it takes as little as it can from the server it measures.</summary>
internal static class LoadGenerator
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>
    /// For the throughput modes of <c>conveyor bench</c> (it shares the machine's cores with the server): idle
    /// thread-pool threads sleep at once instead of spinning (<c>sched_yield</c>) while they wait for work. The
    /// setting is read when the thread pool starts, so this runs first thing in <c>Main</c>. The server, and the
    /// latency mode (which times wake-ups, its own included), keep the runtime's default: idle CPU for a faster wake-up.
    /// </summary>
    public static void ConfigureProcess(string[] args)
    {
        if (args is ["bench", not "latency", ..] && AppContext.GetData(SpinLimit) is null
            && Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null)
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }
}
