using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written job view writer against the source-generated serializer: for random jobs (escapes, non-ASCII,
/// nulls, offsets, failures, leases) both write the same bytes, alone and as a fetch response.
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
}
