using System.CommandLine;
using Conveyor.Storage.Embedded;

namespace Conveyor.Cli.Bench;

/// <summary>
/// The options of one <c>conveyor bench</c> mode, with that mode's defaults, and how they become
/// <see cref="BenchSettings"/>. Every mode has the server, output and bounding options.
/// </summary>
internal sealed class BenchOptions
{
    private readonly List<Option> all = [];

    public BenchOptions(int jobs, int durationSeconds)
    {
        Server = Add(new Option<string?>("--server") { Description = "A running server's base URL (default: start a child `conveyor serve` on a fresh temp data directory)" });
        Server.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } url && !Uri.TryCreate(url, UriKind.Absolute, out _))
            {
                result.AddError($"--server: '{url}' is not an absolute URL");
            }
        });
        ServerPid = Add(new Option<int?>("--server-pid") { Description = "With --server: its process id, to sample RSS and CPU (default n/a)" });
        Durability = Add(new Option<DurabilityMode>("--durability") { Description = "The started server's durability: sync, interval or none", DefaultValueFactory = _ => DurabilityMode.Sync });
        DataRoot = Add(new Option<string>("--data-root") { Description = "Where the started server's data directory and the fsync probe's file go", DefaultValueFactory = _ => Path.GetTempPath() });
        KeepData = Add(new Option<bool>("--keep-data") { Description = "Keep the started server's data directory" });
        LogLevel = Add(new Option<string>("--server-log-level") { Description = "The started server's ASP.NET log level (Information logs every request)", DefaultValueFactory = _ => "Warning" });
        Json = Add(new Option<string?>("--json") { Description = "Also write the figures as JSON to this file" });
        Jobs = Add(Positive(new Option<int>("--jobs", "-n") { Description = $"Jobs per phase (default {jobs:N0})", DefaultValueFactory = _ => jobs }));
        Duration = Add(Positive(new Option<int>("--duration") { Description = $"Upper bound of each phase in seconds (default {durationSeconds})", DefaultValueFactory = _ => durationSeconds }));
        Payload = Add(NotNegative(new Option<int>("--payload-bytes") { Description = "Approximate size of each job's args (default 0: [])", DefaultValueFactory = _ => 0 }));
    }

    public Option<string?> Server { get; }

    public Option<int?> ServerPid { get; }

    public Option<DurabilityMode> Durability { get; }

    public Option<string> DataRoot { get; }

    public Option<bool> KeepData { get; }

    public Option<string> LogLevel { get; }

    public Option<string?> Json { get; }

    public Option<int> Jobs { get; }

    public Option<int> Duration { get; }

    public Option<int> Payload { get; }

    public IReadOnlyList<Option> All => all;

    public static Option<int> Positive(Option<int> option) => AtLeast(option, 1);

    public static Option<int> NotNegative(Option<int> option) => AtLeast(option, 0);

    private static Option<int> AtLeast(Option<int> option, int least)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < least)
            {
                result.AddError($"{option.Name} must be at least {least}");
            }
        });
        return option;
    }

    public T Add<T>(T option)
        where T : Option
    {
        all.Add(option);
        return option;
    }

    public BenchSettings Read(ParseResult parse, BenchMode mode) => new()
    {
        Mode = mode,
        Server = parse.GetValue(Server) is { } url ? new Uri(url.EndsWith('/') ? url : url + "/") : null,
        ServerPid = parse.GetValue(ServerPid),
        Durability = parse.GetValue(Durability),
        DataRoot = parse.GetValue(DataRoot)!,
        KeepData = parse.GetValue(KeepData),
        ServerLogLevel = parse.GetValue(LogLevel)!,
        JsonFile = parse.GetValue(Json),
        Jobs = parse.GetValue(Jobs),
        DurationSeconds = parse.GetValue(Duration),
        PayloadBytes = parse.GetValue(Payload),
        CommandLine = "conveyor " + string.Join(' ', Environment.GetCommandLineArgs().Skip(1).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a)),
    };
}
