using System.Buffers.Binary;
using System.Globalization;

namespace Conveyor.Storage.Embedded.Snapshots;

/// <summary>The snapshot container layout; docs/storage-format.md is the prose version.</summary>
internal static class SnapshotFormat
{
    public const string Directory = "snap";

    /// <summary>magic(8) + segment index u64 + body length u64 + body CRC-32C u32.</summary>
    public const int HeaderSize = 28;

    public const string Extension = ".snap";

    public const string TempExtension = ".snap.tmp";

    public static ReadOnlySpan<byte> Magic => "CNVSNAP1"u8;

    public static string FileName(long index) => index.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static string PathOf(long index) => Directory + "/" + FileName(index);

    public static string TempPathOf(long index) => PathOf(index) + ".tmp";

    public static bool TryParseFileName(string name, out long index)
    {
        index = 0;
        return name.Length == 20 + Extension.Length
            && name.EndsWith(Extension, StringComparison.Ordinal)
            && name.AsSpan(0, 20).IndexOfAnyExceptInRange('0', '9') < 0
            && long.TryParse(name.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    public static void WriteHeader(Span<byte> destination, long index, long bodyLength, uint bodyCrc)
    {
        Magic.CopyTo(destination);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[8..], (ulong)index);
        BinaryPrimitives.WriteUInt64LittleEndian(destination[16..], (ulong)bodyLength);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[24..], bodyCrc);
    }
}
