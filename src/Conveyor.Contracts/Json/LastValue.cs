namespace Conveyor.Contracts.Json;

/// <summary>
/// The last value a field had in one body and its bytes on the wire, for fields that repeat from job to job (a
/// batch's or a fetch's queue, type, worker, creation time): a reader whose bytes equal the last ones reuses the
/// value instead of decoding again, a writer whose value equals the last one reuses the bytes instead of encoding
/// again. It remembers one value only, so a miss costs one decoding or encoding and nothing grows. The one cache
/// every hand-written codec uses; a mutable struct, so hold it in a field and pass it by <c>ref</c>.
/// </summary>
internal struct LastValue<T>
{
    private byte[]? utf8;
    private T value;

    /// <summary>Reading: the value last remembered for exactly these bytes.</summary>
    public readonly bool TryGet(ReadOnlySpan<byte> bytes, out T found)
    {
        if (utf8 is not null && bytes.SequenceEqual(utf8))
        {
            found = value;
            return true;
        }

        found = default!;
        return false;
    }

    /// <summary>Writing: the bytes last remembered for this value (a date only with the same offset, as it writes differently).</summary>
    public readonly bool TryGet(T candidate, out ReadOnlySpan<byte> bytes)
    {
        if (utf8 is not null && Same(candidate, value))
        {
            bytes = utf8;
            return true;
        }

        bytes = default;
        return false;
    }

    /// <summary>Remembers <paramref name="decoded"/> for a copy of <paramref name="bytes"/>; only bytes that decoded well should be.</summary>
    public void Remember(ReadOnlySpan<byte> bytes, T decoded) => Remember(decoded, bytes.ToArray());

    /// <summary>Remembers <paramref name="encoded"/> (kept, not copied) as the bytes of <paramref name="current"/>.</summary>
    public void Remember(T current, byte[] encoded)
    {
        value = current;
        utf8 = encoded;
    }

    // A reference first: the store shares a queue's, type's and worker's strings, so that is nearly always the answer,
    // and the comparer is a lookup and a virtual call in the shared code of a reference type (+20 % on a lean fetch).
    private static bool Same(T a, T b) =>
        default(T) is null
            ? ReferenceEquals(a, b) || EqualityComparer<T>.Default.Equals(a, b)
            : typeof(T) == typeof(DateTimeOffset)
                ? ((DateTimeOffset)(object)a!).EqualsExact((DateTimeOffset)(object)b!)
                : EqualityComparer<T>.Default.Equals(a, b);
}
