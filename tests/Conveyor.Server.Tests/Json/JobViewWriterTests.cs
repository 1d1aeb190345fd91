using System.Text;
using System.Text.Json;
using Conveyor.Client.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written job view writer against the source-generated serializer: for random jobs (escapes, non-ASCII,
/// nulls, offsets, failures, leases) both write the same bytes, alone and as a fetch response; a fetch response with
/// <c>omit_defaults</c> reads back, through the serializer and the SDK's reader, as the full one.
/// </summary>
public sealed class JobViewWriterTests
{
    [Fact]
    public void Write_RandomJobs_SameBytesAsTheSerializer()
    {
        var random = new Random(3);
        for (var i = 0; i < 3000; i++)
        {
            var job = RandomJobs.Job(random);

            var expected = JsonSerializer.SerializeToUtf8Bytes(job.ToView(), ConveyorJsonContext.Default.JobView);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => JobViewWriter.Write(w, job, new RepeatedValues())));
        }
    }

    [Fact]
    public void Write_EveryAsciiCharacterInStrings_SameBytesAsTheSerializer()
    {
        // Strings of plain characters are copied, any other goes through the encoder: the boundary between the two
        // must be the encoder's own, for each character.
        var template = RandomJobs.Job(new Random(5)) with { Lease = new JobLease("t", "w", DateTimeOffset.UnixEpoch) };
        for (var c = 0; c < 128; c++)
        {
            var text = $"a{(char)c}b";
            var job = template with
            {
                Key = JobKey.Of(text),
                UniqueKey = text,
                Tags = [text],
                Meta = new Dictionary<string, string> { [text] = text },
                Lease = new JobLease(text, text, DateTimeOffset.UnixEpoch),
            };

            var expected = JsonSerializer.SerializeToUtf8Bytes(job.ToView(), ConveyorJsonContext.Default.JobView);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => JobViewWriter.Write(w, job, new RepeatedValues())));
        }
    }

    [Fact]
    public void Write_ViewsLargerThanTheScratchBuffer_SameBytesAsTheSerializer()
    {
        // The view is assembled in a buffer that starts at 1 KiB and grows: large args, many tags and escaped text
        // must cross its growth at any point, and a later small view must not carry anything over.
        var random = new Random(7);
        var repeated = new RepeatedValues();
        for (var i = 0; i < 50; i++)
        {
            var size = random.Next(500, 200_000);
            var job = RandomJobs.Job(random) with
            {
                Args = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new string('x', size), ConveyorJsonContext.Default.String)),
                Tags = [.. Enumerable.Range(0, random.Next(0, 200)).Select(_ => RandomJobs.Text(random, 40))],
            };
            var small = RandomJobs.Job(random);

            foreach (var each in new[] { job, small })
            {
                var expected = JsonSerializer.SerializeToUtf8Bytes(each.ToView(), ConveyorJsonContext.Default.JobView);

                Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => JobViewWriter.Write(w, each, repeated)));
            }
        }
    }

    [Fact]
    public void WriteFetch_RandomBatches_SameBytesAsTheSerializer()
    {
        var random = new Random(4);
        for (var i = 0; i < 200; i++)
        {
            var jobs = Enumerable.Range(0, random.Next(0, 6)).Select(_ => RandomJobs.Job(random)).ToList();

            var expected = JsonSerializer.SerializeToUtf8Bytes(new FetchResponse(jobs.ToViews()), ConveyorJsonContext.Default.FetchResponse);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => FetchResult.Write(w, jobs)));
        }
    }

    [Fact]
    public void WriteFetch_ValuesRepeatingAcrossJobs_SameBytesAsTheSerializer()
    {
        // Fetched jobs share queue, type, worker, creation time and lease expiry; the writer encodes each once per
        // response. Equal instants at different offsets and equal strings at different references must not be confused.
        var random = new Random(6);
        var instant = new DateTimeOffset(2026, 11, 22, 12, 0, 0, TimeSpan.Zero).AddTicks(1234500);
        DateTimeOffset[] dates = [instant, instant.ToOffset(TimeSpan.FromHours(2)), instant.AddTicks(1), instant.AddSeconds(30)];
        string[] names = ["default", new string("default".AsSpan()), "mail+\u00E9", "critical"];
        for (var i = 0; i < 300; i++)
        {
            var jobs = Enumerable.Range(0, random.Next(1, 12)).Select(_ =>
            {
                var job = RandomJobs.Job(random);
                return job with
                {
                    Queue = names[random.Next(names.Length)],
                    Type = names[random.Next(names.Length)],
                    CreatedAt = dates[random.Next(dates.Length)],
                    Lease = job.Lease is null ? null : new JobLease(job.Lease.Token, random.Next(4) == 0 ? null : names[random.Next(names.Length)], dates[random.Next(dates.Length)]),
                };
            }).ToList();

            var expected = JsonSerializer.SerializeToUtf8Bytes(new FetchResponse(jobs.ToViews()), ConveyorJsonContext.Default.FetchResponse);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => FetchResult.Write(w, jobs)));
        }
    }

    [Fact]
    public void WriteFetch_OmitDefaults_ReadsBackAsTheFullView()
    {
        var random = new Random(11);
        for (var i = 0; i < 2000; i++)
        {
            var jobs = Enumerable.Range(0, random.Next(0, 6)).Select(_ => SomeAtDefaults(random, RandomJobs.Job(random))).ToList();

            var full = Written.Text(w => FetchResult.Write(w, jobs));
            var lean = Written.Text(w => FetchResult.Write(w, jobs, omitDefaults: true));

            var expected = Describe(JsonSerializer.Deserialize(full, ConveyorJsonContext.Default.FetchResponse)!);
            Assert.Equal(expected, Describe(JsonSerializer.Deserialize(lean, ConveyorJsonContext.Default.FetchResponse)!));
            Assert.Equal(expected, Describe(FetchResponseReader.Read(Encoding.UTF8.GetBytes(lean))));
            Assert.True(lean.Length <= full.Length);
        }
    }

    [Fact]
    public void WriteFetch_OmitDefaults_JobAtEveryDefault_LeavesOutEachDefaultMember()
    {
        var created = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var job = new JobInfo
        {
            Key = JobKey.Of("job-1"),
            Queue = "default",
            Type = "noop",
            Args = "[]"u8.ToArray(),
            Priority = JobDefaults.Priority,
            State = JobState.Active,
            Attempt = 1,
            MaxAttempts = JobDefaults.MaxAttempts,
            LeaseSeconds = JobDefaults.LeaseSeconds,
            CreatedAt = created,
            Lease = new JobLease("7", null, created.AddMinutes(30)),
        };

        Assert.Equal(
            """{"jobs":[{"id":"job-1","queue":"default","type":"noop","args":[],"attempt":1,"created_at":"2026-11-23T08:00:00+00:00","lease":{"token":"7","expires_at":"2026-11-23T08:30:00+00:00"}}]}""",
            Written.Text(w => FetchResult.Write(w, [job], omitDefaults: true)));
    }

    [Fact]
    public void JobView_StartsAtTheDefaultsALeanViewLeavesOut()
    {
        var view = new JobView();

        Assert.Equal(
            (JobDefaults.Priority, "active", JobDefaults.MaxAttempts, true, JobDefaults.LeaseSeconds, Backoff.Exponential.ToString()),
            (view.Priority, view.State, view.MaxAttempts, view.Dead, view.LeaseSeconds, view.Backoff));
        Assert.Null(view.RunAt);
        Assert.Null(view.FinishedAt);
        Assert.Null(view.UniqueKey);
        Assert.Empty(view.Tags);
        Assert.Empty(view.Meta);
        Assert.Empty(view.Failures);
    }

    private static string Describe(FetchResponse response) => JsonSerializer.Serialize(response, ConveyorJsonContext.Default.FetchResponse);

    /// <summary>The job with each member that has a default set to it half of the time (random jobs rarely hit one).</summary>
    private static JobInfo SomeAtDefaults(Random random, JobInfo job)
    {
        bool Coin() => random.Next(2) == 0;
        return job with
        {
            Priority = Coin() ? JobDefaults.Priority : job.Priority,
            State = Coin() ? JobState.Active : job.State,
            MaxAttempts = Coin() ? JobDefaults.MaxAttempts : job.MaxAttempts,
            Dead = Coin() || job.Dead,
            LeaseSeconds = Coin() ? JobDefaults.LeaseSeconds : job.LeaseSeconds,
            RunAt = Coin() ? null : job.RunAt,
            FinishedAt = Coin() ? null : job.FinishedAt,
            UniqueKey = Coin() ? null : job.UniqueKey,
            Tags = Coin() ? [] : job.Tags,
            Meta = Coin() ? JobDefaults.EmptyMeta : job.Meta,
            Backoff = Coin() ? Backoff.Exponential : job.Backoff,
            Failures = Coin() ? [] : job.Failures,
            Lease = job.Lease is { } lease && Coin() ? lease with { WorkerId = null } : job.Lease,
        };
    }
}
