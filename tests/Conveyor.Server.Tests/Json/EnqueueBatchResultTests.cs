using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Server.Json;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written batch enqueue answer against the serializer: the same bytes for random ids (escapes, non-ASCII),
/// held as text or as server-assigned ULID values.
/// </summary>
public sealed class EnqueueBatchResultTests
{
    [Fact]
    public void Write_RandomIds_SameBytesAsTheSerializer()
    {
        var random = new Random(8);
        for (var i = 0; i < 1000; i++)
        {
            var result = new EnqueueResult([.. Enumerable.Range(0, random.Next(0, 6)).Select(_ => random.Next(3) == 0
                ? new EnqueuedJob(JobKey.FromValue(RandomUlid(random)), random.Next(2) == 0)
                : new EnqueuedJob(RandomJobs.Text(random, 30), random.Next(2) == 0))]);

            var duplicates = Enumerable.Range(0, result.Jobs.Count).Where(i => !result.Jobs[i].Created).ToList();
            var response = new EnqueueBatchResponse([.. result.Jobs.Select(j => j.Id)]) { Duplicates = duplicates.Count == 0 ? null : duplicates };
            var expected = JsonSerializer.SerializeToUtf8Bytes(response, ConveyorJsonContext.Default.EnqueueBatchResponse);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => EnqueueBatchResult.Write(w, result)));
        }
    }

    [Fact]
    public void EnqueuedJob_GivenItsValueOrItsText_IsTheSameJob()
    {
        var value = RandomUlid(new Random(3));
        var generated = new EnqueuedJob(JobKey.FromValue(value), Created: true);

        Assert.Equal(Ulid.Format(value), generated.Id);
        Assert.Equal(new EnqueuedJob(Ulid.Format(value), Created: true), generated);
        Assert.NotEqual(new EnqueuedJob(Ulid.Format(value), Created: false), generated);
        Assert.True(new EnqueuedJob(Ulid.Format(value), Created: true).Key.TryGetUlid(out var held));
        Assert.Equal(value, held);
    }

    private static UInt128 RandomUlid(Random random)
    {
        // Any 128-bit value is a ULID's (the text's first character is at most 7).
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        return new UInt128(BitConverter.ToUInt64(bytes), BitConverter.ToUInt64(bytes[8..]));
    }
}
