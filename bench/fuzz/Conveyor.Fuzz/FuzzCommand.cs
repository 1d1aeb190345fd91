using SharpFuzz;

namespace Conveyor.Fuzz;

/// <summary>The command line: run a target under afl-fuzz, replay files through it, or write the seed corpus.</summary>
internal static class FuzzCommand
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] == "list")
        {
            Console.WriteLine(string.Join(Environment.NewLine, FuzzTargets.All.Select(t => t.Name)));
            return args.Length == 0 ? 2 : 0;
        }

        if (args[0] == "seeds" && args.Length == 2)
        {
            WriteSeeds(args[1]);
            return 0;
        }

        var target = FuzzTargets.Find(args[0]);
        if (target is null)
        {
            Console.Error.WriteLine($"unknown target '{args[0]}'; targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
            return 2;
        }

        if (args.Length > 1)
        {
            return Replay(target, args[1..]);
        }

        Fuzzer.OutOfProcess.Run(stream =>
        {
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            target.Run(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        });
        return 0;
    }

    private static int Replay(IFuzzTarget target, string[] paths)
    {
        var files = paths.SelectMany(p => Directory.Exists(p) ? Directory.GetFiles(p) : [p]).Order(StringComparer.Ordinal).ToList();
        var failed = 0;
        foreach (var file in files)
        {
            try
            {
                target.Run(File.ReadAllBytes(file));
            }
            catch (Exception ex)
            {
                failed++;
                Console.WriteLine($"FAIL {file}: {(ex is AggregateException { InnerException: { } inner } ? inner : ex)}");
            }
        }

        Console.WriteLine($"{target.Name}: {files.Count} inputs, {failed} failed");
        return failed == 0 ? 0 : 1;
    }

    private static void WriteSeeds(string corpus)
    {
        foreach (var target in FuzzTargets.All)
        {
            var directory = Path.Combine(corpus, target.Name);
            Directory.CreateDirectory(directory);
            foreach (var (name, bytes) in target.Seeds())
            {
                target.Run(bytes); // a seed must pass its own target
                File.WriteAllBytes(Path.Combine(directory, name), bytes);
            }
        }
    }
}
