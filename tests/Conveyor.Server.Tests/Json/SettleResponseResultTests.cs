using System.Text;
using System.Text.Json;
using Conveyor.Contracts.Json;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Server.Json;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Tests.Json;

/// <summary>
/// The hand-written settle response writer against the source-generated serializer: for random results (ids with
/// escapes, non-ASCII and surrogate pairs; every status) both write the same bytes.
/// </summary>
public sealed class SettleResponseResultTests
{
    [Fact]
    public void Write_RandomResults_SameBytesAsTheSerializer()
    {
        var random = new Random(6);
        var statuses = Enum.GetValues<SettleStatus>();
        for (var i = 0; i < 2000; i++)
        {
            // Now and then a long list of long ids: more than the writer's first guess at the answer's size.
            var count = i % 100 == 0 ? random.Next(100, 2000) : random.Next(0, 6);
            var results = Enumerable.Range(0, count)
                .Select(_ => new SettleResult(RandomId(random, count > 5 ? 120 : 30), statuses[random.Next(statuses.Length)]))
                .ToList();
            var response = new SettleResponse([.. results.Select(r => new SettleItemResult(r.Id.ToString(), SettleMapping.ToName(r.Status)))]);

            var expected = JsonSerializer.SerializeToUtf8Bytes(response, ConveyorJsonContext.Default.SettleResponse);

            Assert.Equal(Encoding.UTF8.GetString(expected), Written.Text(w => SettleResponseResult.Write(w, results)));
        }
    }

    /// <summary>Half of them server-assigned ids (written from the key's value), half text of up to <paramref name="length"/>.</summary>
    private static JobKey RandomId(Random random, int length) => random.Next(2) == 0
        ? JobKey.FromValue(new UInt128((ulong)random.NextInt64(), (ulong)random.NextInt64()))
        : JobKey.Of(RandomJobs.Text(random, length));
}
