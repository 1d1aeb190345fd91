using System.CommandLine;
using Conveyor.Cli.Bench;

namespace Conveyor.Cli.Commands;

/// <summary>
/// <c>conveyor bench enqueue|e2e|latency|memory|fsync</c>: the load generator. Each mode runs bounded phases
/// against a running server (<c>--server</c>) or a child it starts, and prints jobs/s, latency percentiles
/// and the server's RSS and CPU (docs/performance.md).
/// </summary>
internal static class BenchCommand
{
    public static Command Create() => new("bench", "Measure throughput, latency and memory of a Conveyor server")
    {
        Enqueue(), EndToEnd(), Latency(), Memory(), Fsync(),
    };

    private static Command Enqueue()
    {
        var options = new BenchOptions(jobs: 20_000, durationSeconds: 30);
        var variant = options.Add(new Option<EnqueueVariant>("--variant") { Description = "single (1 in flight), concurrent, batched, or all", DefaultValueFactory = _ => EnqueueVariant.All });
        var concurrency = options.Add(BenchOptions.Positive(new Option<int>("--concurrency", "-c") { Description = "Single enqueues in flight in the concurrent variant", DefaultValueFactory = _ => 32 }));
        var producers = options.Add(Producers(2));
        var batch = options.Add(Batch(1000, "Jobs per request in the batched variant (≤ 10,000)"));
        var probe = options.Add(ProbeSeconds(2, "How long to measure the fsync rate (and, for one in flight, the loopback and GET /healthz round trips) first (0 skips them)"));
        var warmupJobs = options.Add(WarmupJobs("Jobs enqueued in batches before measuring, on a queue of their own (0: none)"));
        return Build("enqueue", "Enqueue throughput: one request in flight (next to the fsync rate), many in flight, batched", options, BenchMode.Enqueue, (parse, s) => s with
        {
            Variant = parse.GetValue(variant),
            Concurrency = parse.GetValue(concurrency),
            Producers = parse.GetValue(producers),
            BatchSize = parse.GetValue(batch),
            FsyncProbeSeconds = parse.GetValue(probe),
            WarmupJobs = parse.GetValue(warmupJobs),
        });
    }

    private static Command EndToEnd()
    {
        var options = new BenchOptions(jobs: 100_000, durationSeconds: 300);
        var producers = options.Add(Producers(2));
        var workers = options.Add(Workers(4));
        var batch = options.Add(Batch(100, "Jobs per enqueue request and per fetch/settle"));
        var enqueueBatch = options.Add(new Option<int?>("--enqueue-batch-size") { Description = "Jobs per enqueue request when it differs from --batch-size (≤ 10,000; e.g. -b 1 drains one job per fetch after batched enqueues)" });
        enqueueBatch.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } n && n is < 1 or > 10_000)
            {
                result.AddError("--enqueue-batch-size: 1–10,000");
            }
        });
        var wait = options.Add(WaitMs(100));
        var mixed = options.Add(new Option<bool>("--mixed") { Description = "Producers and workers at once (timing enqueue → handler start) instead of enqueue, then drain" });
        var drain = options.Add(new Option<DrainProtocol>("--drain") { Description = "How workers drain: http (fetch/settle up to --batch-size), faktory (one connection each, FETCH then ACK, one job at a time) or grpc (one Work stream each with --credits, each job acked as it ends)", DefaultValueFactory = _ => DrainProtocol.Http });
        var credits = options.Add(Credits());
        var grpcPort = options.Add(GrpcPort());
        var faktoryPort = options.Add(new Option<int>("--faktory-port") { Description = "With --server and --drain faktory: the server's Faktory port", DefaultValueFactory = _ => 7419 });
        drain.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DrainProtocol>() == DrainProtocol.Faktory && result.GetResult(mixed)?.GetValueOrDefault<bool>() == true)
            {
                result.AddError("--drain faktory drains an enqueued backlog; it does not combine with --mixed");
            }
        });
        var warmupJobs = options.Add(WarmupJobs("Jobs enqueued and drained the same way before measuring, on a queue of their own (0: none)"));
        return Build("e2e", "End to end: enqueue N jobs, then drain them with batched fetch/settle or over Faktory (or both at once with --mixed)", options, BenchMode.EndToEnd, (parse, s) => s with
        {
            Producers = parse.GetValue(producers),
            Workers = parse.GetValue(workers),
            BatchSize = parse.GetValue(batch),
            EnqueueBatchSize = parse.GetValue(enqueueBatch),
            FetchWaitMs = parse.GetValue(wait),
            Mixed = parse.GetValue(mixed),
            Drain = parse.GetValue(drain),
            FaktoryPort = parse.GetValue(faktoryPort),
            Credits = parse.GetValue(credits),
            GrpcPort = parse.GetValue(grpcPort),
            WarmupJobs = parse.GetValue(warmupJobs),
        });
    }

    private static Command Latency()
    {
        var options = new BenchOptions(jobs: 100_000, durationSeconds: 10);
        var rate = options.Add(BenchOptions.Positive(new Option<int>("--rate") { Description = "Offered enqueues per second (open loop)", DefaultValueFactory = _ => 200 }));
        var workers = options.Add(Workers(2));
        var batch = options.Add(Batch(10, "Most jobs per fetch"));
        var wait = options.Add(WaitMs(5000));
        var warmup = options.Add(BenchOptions.NotNegative(new Option<int>("--warmup") { Description = "Seconds offered at the same rate before measuring, on a queue of their own (0: none)", DefaultValueFactory = _ => 5 }));
        var probe = options.Add(ProbeSeconds(5, "How long to measure fsyncs and GET /healthz round trips paced at --rate first (0 skips them)"));
        var drain = options.Add(new Option<DrainProtocol>("--drain") { Description = "How workers take jobs: http (long-polled fetch up to --batch-size) or grpc (one Work stream each with --credits)", DefaultValueFactory = _ => DrainProtocol.Http });
        drain.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<DrainProtocol>() == DrainProtocol.Faktory)
            {
                result.AddError("--drain faktory is an e2e mode; latency takes http or grpc");
            }
        });
        var credits = options.Add(Credits());
        var grpcPort = options.Add(GrpcPort());
        return Build("latency", "Pickup latency at a fixed offered rate: enqueue call → handler start and → acked", options, BenchMode.Latency, (parse, s) => s with
        {
            Rate = parse.GetValue(rate),
            Workers = parse.GetValue(workers),
            BatchSize = parse.GetValue(batch),
            FetchWaitMs = parse.GetValue(wait),
            WarmupSeconds = parse.GetValue(warmup),
            FsyncProbeSeconds = parse.GetValue(probe),
            Drain = parse.GetValue(drain),
            Credits = parse.GetValue(credits),
            GrpcPort = parse.GetValue(grpcPort),
        });
    }

    private static Command Memory()
    {
        var options = new BenchOptions(jobs: 100_000, durationSeconds: 300);
        var producers = options.Add(Producers(2));
        var batch = options.Add(Batch(1000, "Jobs per enqueue request"));
        return Build("memory", "Server RSS per available job, then the restart (recovery) time after SIGKILL", options, BenchMode.Memory, (parse, s) => s with
        {
            Producers = parse.GetValue(producers),
            BatchSize = parse.GetValue(batch),
        });
    }

    private static Command Fsync()
    {
        var options = new BenchOptions(jobs: 1, durationSeconds: 2);
        return Build("fsync", "The machine's fsync rate (256 B writes + fsync, appended and into preallocated space) in --data-root, and its loopback round trip, for --duration seconds each", options, BenchMode.Fsync, (parse, s) => s with
        {
            FsyncProbeSeconds = s.DurationSeconds,
        });
    }

    private static Command Build(string name, string description, BenchOptions options, BenchMode mode, Func<ParseResult, BenchSettings, BenchSettings> read)
    {
        var command = new Command(name, description);
        foreach (var option in options.All)
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, cancellationToken) => BenchRunner.RunAsync(
            read(parse, options.Read(parse, mode)), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error, cancellationToken));
        return command;
    }

    private static Option<int> Producers(int fallback) =>
        BenchOptions.Positive(new Option<int>("--producers", "-p") { Description = "Producer loops, each with one request in flight", DefaultValueFactory = _ => fallback });

    private static Option<int> Workers(int fallback) =>
        BenchOptions.Positive(new Option<int>("--workers", "-w") { Description = "Worker loops (fetch, then settle)", DefaultValueFactory = _ => fallback });

    /// <summary>The Work stream takes 1–10,000 credits at a time.</summary>
    private static Option<int> Credits()
    {
        var option = BenchOptions.Positive(new Option<int>("--credits") { Description = "With --drain grpc: the credits each Work stream keeps granted (≤ 10,000)", DefaultValueFactory = _ => 32 });
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() > 10_000)
            {
                result.AddError("--credits: at most 10,000");
            }
        });
        return option;
    }

    private static Option<int> GrpcPort() =>
        new("--grpc-port") { Description = "With --server and --drain grpc: the server's gRPC port", DefaultValueFactory = _ => 7421 };

    private static Option<int> Batch(int fallback, string description) =>
        BenchOptions.Positive(new Option<int>("--batch-size", "-b") { Description = description, DefaultValueFactory = _ => fallback });

    /// <summary>A fresh server and load generator spend their first seconds in the tiered JIT; 300,000 jobs take it out of the figures.</summary>
    private static Option<int> WarmupJobs(string description) =>
        BenchOptions.NotNegative(new Option<int>("--warmup-jobs") { Description = description, DefaultValueFactory = _ => 300_000 });

    private static Option<double> ProbeSeconds(double fallback, string description) =>
        new("--fsync-probe-seconds") { Description = description, DefaultValueFactory = _ => fallback };

    private static Option<int> WaitMs(int fallback) =>
        new("--wait-ms") { Description = "The workers' fetch long-poll in ms", DefaultValueFactory = _ => fallback };
}
