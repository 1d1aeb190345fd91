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

    /// <summary>What a writer puts before the member's value, <c>,"name":</c>; the first member of an object skips the comma.</summary>
    public byte[] Prefix { get; } = Encoding.UTF8.GetBytes($",\"{name}\":");

    /// <summary>
    /// <see cref="Prefix"/> padded with zeros to at least <see cref="PaddedLength"/> + 1 bytes, so a writer can copy a
    /// constant <see cref="PaddedLength"/> bytes (one or two vector moves, where a copy of the prefix's own length is a
    /// call) and keep only the prefix's.
    /// </summary>
    public byte[] PaddedPrefix { get; } = [.. Encoding.UTF8.GetBytes($",\"{name}\":"), .. new byte[PaddedLength + 1]];

    /// <summary>The bytes a writer copies from <see cref="PaddedPrefix"/> (from its start, or from 1 to skip the comma).</summary>
    public const int PaddedLength = 32;

    public TAccess Access { get; } = access;
}
