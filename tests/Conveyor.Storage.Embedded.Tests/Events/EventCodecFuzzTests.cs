using Conveyor.Storage.Embedded.Events;
using Xunit;

namespace Conveyor.Storage.Embedded.Tests.Events;

/// <summary>A record that passed its CRC but holds garbage must be refused as corruption, never crash replay.</summary>
public sealed class EventCodecFuzzTests
{
    [Fact]
    public void Decode_RandomPayloads_DecodeOrRefuseAsCorrupt()
    {
        var random = new Random(20261122);
        var refused = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            refused += AssertDecodesOrRefuses((byte)random.Next(0, 17), payload) ? 0 : 1;
        }

        // Random bytes are almost never a well-formed record: nearly all must be refused, none may crash.
        Assert.InRange(refused, 19_000, 20_000);
    }

    [Fact]
    public void Decode_MutatedAndTruncatedGoldenPayloads_DecodeOrRefuseAsCorrupt()
    {
        var random = new Random(7);
        foreach (var row in EventCodecGoldenTests.Golden)
        {
            var (name, hex) = (row.Data.Item1, row.Data.Item2);
            var type = (byte)Enum.Parse<RecordType>(name);
            var golden = Convert.FromHexString(hex);
            for (var cut = 0; cut < golden.Length; cut++)
            {
                Assert.Throws<InvalidDataException>(() => EventCodec.Decode(type, golden.AsSpan(0, cut)));
            }

            for (var i = 0; i < 2_000; i++)
            {
                var mutated = (byte[])golden.Clone();
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
                AssertDecodesOrRefuses(type, mutated);
            }
        }
    }

    /// <summary>True when the payload decoded; false when it was refused as corruption; anything else fails the test.</summary>
    private static bool AssertDecodesOrRefuses(byte type, byte[] payload)
    {
        try
        {
            EventCodec.Decode(type, payload);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
