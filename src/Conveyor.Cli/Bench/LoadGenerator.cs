using System.CommandLine;

namespace Conveyor.Cli.Bench;

/// <summary>How the <c>bench</c> process runs itself, so that it takes as little as it can from the server it measures.</summary>
internal static class LoadGenerator
{
    private const string SpinLimit = "System.Threading.ThreadPool.UnfairSemaphoreSpinLimit";

    /// <summary>
    /// For the throughput modes of <c>conveyor bench</c> (it shares the machine's cores with the server): idle
    /// thread-pool threads sleep at once instead of spinning (<c>sched_yield</c>) while they wait for work. The
    /// setting is read when the thread pool starts, so this runs first thing in <c>Main</c>. The server, and the
    /// runs that time one request at a time (<see cref="TimesOneRequestAtATime"/>), keep the runtime's default:
    /// idle CPU for a faster wake-up.
    /// </summary>
    public static void ConfigureProcess(ParseResult parse)
    {
        if (parse.CommandResult.Command.Parents.Any(p => p.Name == "bench") && !TimesOneRequestAtATime(parse)
            && AppContext.GetData(SpinLimit) is null
            && Environment.GetEnvironmentVariable("DOTNET_ThreadPool_UnfairSemaphoreSpinLimit") is null)
        {
            AppContext.SetData(SpinLimit, 0);
        }
    }

    /// <summary>
    /// The latency mode, and the enqueue mode when it runs its one-request-in-flight phase (variant single, or all,
    /// the default): each figure there includes the client's own wake-up for every answer, which a sleeping thread
    /// pool makes slower (1 in flight: 781–1,185 jobs/s with it asleep, 1,613–2,104 spinning, same server).
    /// Read from the command line's parse, which the command then runs.
    /// </summary>
    internal static bool TimesOneRequestAtATime(ParseResult parse) => parse.CommandResult.Command.Name switch
    {
        "latency" => true,
        "enqueue" => parse.GetValue<EnqueueVariant>("--variant") is EnqueueVariant.All or EnqueueVariant.Single,
        _ => false,
    };
}
