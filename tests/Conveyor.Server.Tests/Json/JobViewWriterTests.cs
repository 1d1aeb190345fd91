using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
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

            Assert.Equal(Encoding.UTF8.GetString(expected), Write(w => JobViewWriter.Write(w, job)));
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

            Assert.Equal(Encoding.UTF8.GetString(expected), Write(w => FetchResult.Write(w, jobs)));
        }
    }

    private static string Write(Action<Utf8JsonWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
