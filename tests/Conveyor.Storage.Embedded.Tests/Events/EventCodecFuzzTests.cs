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
        for (var i = 0; i < 20_000; i++)
        {
            var payload = new byte[random.Next(0, 64)];
            random.NextBytes(payload);
            AssertDecodesOrRefuses((byte)random.Next(0, 17), payload);
        }
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

    private static void AssertDecodesOrRefuses(byte type, byte[] payload)
    {
        try
        {
            EventCodec.Decode(type, payload);
        }
        catch (InvalidDataException)
        {
            // Refused as corruption: what recovery expects.
        }
    }
}
