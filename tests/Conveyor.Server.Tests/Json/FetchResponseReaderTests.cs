using System.Text;
using System.Text.Json;
using Conveyor.Client.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The workers' fetch-response reader against the source-generated serializer: random responses read the same,
/// and for mutated bodies (truncation, byte flips, noise, swapped values, unknown and repeated members) both
/// accept or both refuse, agreeing on what they read; the reader only ever throws <see cref="JsonException"/>.
/// </summary>
public sealed class FetchResponseReaderTests
{
    private static readonly string[] Replacements = ["null", "1", "-1", "2147483648", "true", "\"x\"", "[]", "{}", "[null]", "{\"k\":null}", "\"2026-01-01T00:00:00Z\"", "1.5"];

    [Fact]
    public void Read_RandomResponses_SameAsTheSerializer()
    {
        var random = new Random(8);
        for (var i = 0; i < 1000; i++)
        {
            var body = RandomBody(random);

            var expected = JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.FetchResponse)!;

            Assert.Equal(Describe(expected), Describe(FetchResponseReader.Read(body)));
        }
    }

    [Fact]
    public void Read_MutatedResponses_AgreesWithTheSerializer()
    {
        var random = new Random(9);
        var disagreements = new HashSet<string>();
        for (var i = 0; i < 20_000; i++)
        {
            var body = Mutate(random, RandomBody(random, maxJobs: 2));

            var expected = Outcome(() => JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.FetchResponse)!);
            var actual = Outcome(() => FetchResponseReader.Read(body));

            if (expected != actual && disagreements.Count < 8)
            {
                disagreements.Add($"{Encoding.UTF8.GetString(body)}\n  serializer: {expected}\n  reader:     {actual}");
            }
        }

        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements));
    }

    [Fact]
    public void Read_ValuesRepeatedFromJobToJob_ShareOneStringAndStillReadEscapesAndRefuseBadBytes()
    {
        var body = """
            {"jobs":[
              {"id":"a","queue":"mail","type":"send","state":"active","backoff":"exponential","lease":{"token":"1","worker_id":"w","expires_at":"2026-11-22T12:00:00+00:00"}},
              {"id":"b","queue":"mail","type":"send","state":"active","backoff":"exponential","lease":{"token":"2","worker_id":"w","expires_at":"2026-11-22T12:00:00+00:00"}},
              {"id":"c","queue":"m\u0061il","type":"sen","state":"active","backoff":"exponential","lease":{"token":"3","worker_id":"v","expires_at":"2026-11-22T12:00:01+00:00"}}
            ]}
            """u8.ToArray();

        var jobs = FetchResponseReader.Read(body).Jobs;

        Assert.Same(jobs[0].Queue, jobs[1].Queue);
        Assert.Same(jobs[0].Type, jobs[1].Type);
        Assert.Same(jobs[0].Lease!.WorkerId, jobs[1].Lease!.WorkerId);
        Assert.Equal(["mail", "mail", "mail"], jobs.Select(j => j.Queue));
        Assert.Equal(["send", "send", "sen"], jobs.Select(j => j.Type));
        Assert.Equal(["w", "w", "v"], jobs.Select(j => j.Lease!.WorkerId));
        Assert.Equal(jobs[0].Lease!.ExpiresAt.AddSeconds(1), jobs[2].Lease!.ExpiresAt);
        Assert.Equal(Describe(JsonSerializer.Deserialize(body, ConveyorJsonContext.Default.FetchResponse)!), Describe(FetchResponseReader.Read(body)));

        // A repeated field whose bytes differ from the remembered ones by one invalid byte is decoded, and refused.
        var bad = """{"jobs":[{"queue":"mail"},{"queue":"mai?"}]}"""u8.ToArray();
        bad[Array.LastIndexOf(bad, (byte)'?')] = 0xFF;
        Assert.Throws<JsonException>(() => FetchResponseReader.Read(bad));
    }

    private static string Outcome(Func<FetchResponse> read)
    {
        try
        {
            return Describe(read());
        }
        catch (JsonException)
        {
            return "refused";
        }
    }

    private static string Describe(FetchResponse response) => JsonSerializer.Serialize(response, ConveyorJsonContext.Default.FetchResponse);

    private static byte[] RandomBody(Random random, int maxJobs = 5)
    {
        var jobs = Enumerable.Range(0, random.Next(0, maxJobs + 1)).Select(_ => RandomJobs.Job(random)).ToList();
        if (jobs.Count > 1 && random.Next(2) == 0)
        {
            // As in a real fetch, the jobs share a queue, type, state, backoff, creation time, worker and lease expiry: the reader
            // reuses a repeated value's string or date, which the mutations then break in one job but not the next.
            var first = jobs[0];
            jobs = [first, .. jobs.Skip(1).Select(job => job with
            {
                Queue = first.Queue,
                Type = first.Type,
                State = first.State,
                Backoff = first.Backoff,
                CreatedAt = first.CreatedAt,
                Lease = job.Lease is null || first.Lease is null ? job.Lease : job.Lease with { WorkerId = first.Lease.WorkerId, ExpiresAt = first.Lease.ExpiresAt },
            })];
        }

        return JsonSerializer.SerializeToUtf8Bytes(new FetchResponse(jobs.ToViews()), ConveyorJsonContext.Default.FetchResponse);
    }

    private static byte[] Mutate(Random random, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body);
        switch (random.Next(6))
        {
            case 0:
                return body[..random.Next(body.Length)];
            case 1:
                var flipped = (byte[])body.Clone();
                flipped[random.Next(flipped.Length)] = (byte)random.Next(256);
                return flipped;
            case 2:
                var at = random.Next(body.Length);
                return [.. body[..at], .. Encoding.UTF8.GetBytes(RandomJobs.Text(random, 3)), .. body[at..]];
            case 3:
                return Encoding.UTF8.GetBytes(ReplaceValue(random, text));
            case 4:
                // An unknown member, or a repeated one, at the start of some object.
                var open = text.IndexOf('{', random.Next(text.Length));
                var member = random.Next(2) == 0 ? "\"unknown\":{\"a\":[1]}," : $"\"{Names[random.Next(Names.Length)]}\":{Replacements[random.Next(Replacements.Length)]},";
                return Encoding.UTF8.GetBytes(open < 0 ? text : text[..(open + 1)] + member + text[(open + 1)..]);
            default:
                return Encoding.UTF8.GetBytes(text.Replace("\"jobs\"", random.Next(2) == 0 ? "\"Jobs\"" : "\"j\\u006fbs\"", StringComparison.Ordinal));
        }
    }

    private static readonly string[] Names = ["id", "args", "priority", "dead", "created_at", "run_at", "tags", "meta", "failures", "lease", "token", "worker_id", "expires_at", "at", "backtrace", "jobs"];

    /// <summary>Replaces the value after one <c>"name":</c> with another kind of value.</summary>
    private static string ReplaceValue(Random random, string text)
    {
        var colon = text.IndexOf("\":", random.Next(text.Length), StringComparison.Ordinal);
        if (colon < 0)
        {
            return text;
        }

        var start = colon + 2;
        var end = start;
        var depth = 0;
        var inString = false;
        for (; end < text.Length; end++)
        {
            var c = text[end];
            if (inString)
            {
                if (c == '\\')
                {
                    end++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            if (c == '"')
            {
                inString = true;
            }
            else if (c is '[' or '{')
            {
                depth++;
            }
            else if (c is ']' or '}')
            {
                if (depth-- == 0)
                {
                    break;
                }
            }
            else if (c == ',' && depth == 0)
            {
                break;
            }
        }

        return text[..start] + Replacements[random.Next(Replacements.Length)] + text[end..];
    }
}
