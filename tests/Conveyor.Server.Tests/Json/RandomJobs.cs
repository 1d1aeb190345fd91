using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Server.Tests.Json;

/// <summary>Random jobs for the JSON parity tests: server-assigned ids (held as values) and any others, escapes, non-ASCII, surrogate pairs, nulls, offsets, failures, leases.</summary>
internal static class RandomJobs
{
    private const string Alphabet = "aZ09 _-.:/@#~`\"\\<>&'+\n\t\u00E9\u4E2D\U0001F600";

    public static JobInfo Job(Random random) => new()
    {
        Key = random.Next(2) == 0 ? JobKey.FromValue(JobIdGenerator.NewValue(Date(random))) : JobKey.Of(Text(random, 26)),
        Queue = Text(random, 8),
        Type = Text(random, 12),
        Args = random.Next(6) switch
        {
            0 => ReadOnlyMemory<byte>.Empty,
            1 => "[]"u8.ToArray(),
            2 => Encoding.UTF8.GetBytes(JsonSerializer.Serialize(Text(random, 10), ConveyorJsonContext.Default.String)),
            3 => Encoding.UTF8.GetBytes($"[{random.Next()},{{\"k\":[true,null,1.5e3]}}]"),
            4 => "{\"a\": \"\\u00e9\"}"u8.ToArray(),
            _ => "-0.25"u8.ToArray(),
        },
        Priority = random.Next(0, 10),
        State = Enum.GetValues<JobState>()[random.Next(Enum.GetValues<JobState>().Length)],
        Attempt = random.Next(0, 30),
        MaxAttempts = random.Next(1, 30),
        Dead = random.Next(2) == 0,
        LeaseSeconds = random.Next(1, 100_000),
        CreatedAt = Date(random),
        RunAt = random.Next(2) == 0 ? Date(random) : null,
        FinishedAt = random.Next(2) == 0 ? Date(random) : null,
        UniqueKey = random.Next(2) == 0 ? Text(random, 6) : null,
        Tags = [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Text(random, 5))],
        Meta = Enumerable.Range(0, random.Next(0, 3)).Select(i => (Key: Text(random, 4) + i, Value: Text(random, 7))).ToDictionary(p => p.Key, p => p.Value),
        Backoff = random.Next(2) == 0 ? Backoff.Exponential : Backoff.Fixed(random.Next(1, 1000)),
        Failures = [.. Enumerable.Range(0, random.Next(0, 3)).Select(n => new JobFailure(n + 1, Date(random), Text(random, 9), Text(random, 20), [.. Enumerable.Range(0, random.Next(0, 3)).Select(_ => Text(random, 15))]))],
        Lease = random.Next(3) switch
        {
            0 => null,
            1 => new JobLease(Text(random, 3), null, Date(random)),
            _ => new JobLease(Text(random, 3), Text(random, 8), Date(random)),
        },
    };

    private static DateTimeOffset Date(Random random) =>
        new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(random.NextInt64(TimeSpan.TicksPerDay * 3650))
            .ToOffset(TimeSpan.FromMinutes(random.Next(2) == 0 ? 0 : random.Next(-12 * 60, 14 * 60)));

    public static string Text(Random random, int length)
    {
        var builder = new StringBuilder();
        var n = random.Next(0, length + 1);
        while (builder.Length < n)
        {
            var index = random.Next(Alphabet.Length);
            builder.Append(char.IsSurrogate(Alphabet[index]) ? Alphabet.Substring(Alphabet.Length - 2) : Alphabet[index].ToString());
        }

        return builder.ToString();
    }
}
