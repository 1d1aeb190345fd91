using System.Buffers.Binary;
using System.Numerics;

namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// CRC-32C (Castagnoli), the checksum of the WAL and snapshot formats. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// is only the raw update step (hardware accelerated), so the usual initial value and final
/// xor of 0xFFFFFFFF are applied here. Check value: CRC-32C("123456789") = 0xE3069283.
/// </summary>
internal static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Extends a finished CRC with more data: <c>Append(Compute(a), b) == Compute(a + b)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }
        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return ~state;
    }
}
