using System.Buffers.Binary;
using System.Runtime.Intrinsics;
using System.Text;

namespace Conveyor.Contracts.Json;

/// <summary>
/// One member of a wire type as a hand-written codec knows it: its JSON name and how it is read or written
/// (<typeparamref name="TAccess"/>, a delegate). A codec finds the entry by name and acts through the entry itself,
/// never through its position, so reordering a table changes nothing but the order a writer writes in.
/// </summary>
internal sealed class JsonMember<TAccess>(string name, TAccess access)
    where TAccess : notnull
{
    /// <summary>The name on the wire, as the serializer writes it (snake_case or <c>JsonPropertyName</c>).</summary>
    public string Name { get; } = name;

    public byte[] Utf8 { get; } = Encoding.UTF8.GetBytes(name);

    /// <summary>A name of up to 8 bytes as one number (<see cref="KeyOf"/>), so a reader matches it with one compare, not a call.</summary>
    public ulong Key { get; } = KeyOf(Encoding.UTF8.GetBytes(name));

    /// <summary>The length of <see cref="Utf8"/>, held here so a reader compares it without loading the array.</summary>
    public int Length { get; } = Encoding.UTF8.GetByteCount(name);

    /// <summary>What a writer puts before the member's value, <c>,"name":</c>; the first member's comma becomes the object's brace.</summary>
    public byte[] Prefix { get; } = Encoding.UTF8.GetBytes($",\"{name}\":");

    /// <summary>
    /// The first <see cref="PaddedLength"/> bytes of <see cref="Prefix"/> padded with zeros, held in the entry itself, so
    /// a writer stores this one vector (where a copy of the prefix's own length is a call, and a copy from another
    /// array a second load and a bounds check) and keeps only the prefix's bytes.
    /// </summary>
    public Vector256<byte> PaddedPrefix { get; } = Pad(Encoding.UTF8.GetBytes($",\"{name}\":"));

    /// <summary>The bytes of <see cref="PaddedPrefix"/>; a longer prefix is copied from <see cref="Prefix"/>.</summary>
    public const int PaddedLength = 32;

    public TAccess Access { get; } = access;

    /// <summary>
    /// The bytes of a name of up to 8 bytes as one number: its first and last four (or two, or its one) bytes, which
    /// together are all of them; equal keys of equal lengths are equal names. 0 for a longer name, compared whole.
    /// </summary>
    public static ulong KeyOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        > 8 or 0 => 0,
        >= 4 => BinaryPrimitives.ReadUInt32LittleEndian(name) | ((ulong)BinaryPrimitives.ReadUInt32LittleEndian(name[^4..]) << 32),
        >= 2 => BinaryPrimitives.ReadUInt16LittleEndian(name) | ((ulong)BinaryPrimitives.ReadUInt16LittleEndian(name[^2..]) << 16),
        _ => name[0],
    };

    private static Vector256<byte> Pad(byte[] prefix)
    {
        var padded = new byte[PaddedLength];
        prefix.AsSpan(0, Math.Min(prefix.Length, PaddedLength)).CopyTo(padded);
        return Vector256.Create<byte>(padded);
    }
}
