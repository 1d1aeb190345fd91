using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Storage;
using Conveyor.Server.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>The hand-written batch enqueue answer against the serializer: the same bytes for random ids (escapes, non-ASCII).</summary>
public sealed class EnqueueBatchResultTests
{
    [Fact]
    public void Write_RandomIds_SameBytesAsTheSerializer()
    {
        var random = new Random(8);
        for (var i = 0; i < 1000; i++)
        {
            var result = new EnqueueResult([.. Enumerable.Range(0, random.Next(0, 6)).Select(_ => new EnqueuedJob(RandomJobs.Text(random, 30), random.Next(2) == 0))]);

            var expected = JsonSerializer.SerializeToUtf8Bytes(new EnqueueBatchResponse([.. result.Jobs.Select(j => j.Id)]), ConveyorJsonContext.Default.EnqueueBatchResponse);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => EnqueueBatchResult.Write(w, result)));
        }
    }
}
