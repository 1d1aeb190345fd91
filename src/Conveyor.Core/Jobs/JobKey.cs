namespace Conveyor.Core.Jobs;

/// <summary>
/// A job's id as a store holds it: a server-assigned id (a ULID in its exact text form) as its 128-bit value, so a
/// million jobs do not each keep a 26-character string alive; any other id as its string. The two never overlap
/// (<see cref="Ulid.TryParse(string?, out UInt128)"/> accepts only the exact form), so equal ids are equal keys.
/// </summary>
public readonly struct JobKey : IEquatable<JobKey>
{
    // Two ulongs rather than a UInt128: no 16-byte alignment padding inside the job entry.
    private readonly ulong upper;
    private readonly ulong lower;
    private readonly string? text;

    private JobKey(UInt128 value)
    {
        upper = (ulong)(value >> 64);
        lower = (ulong)value;
    }

    private JobKey(string text) => this.text = text;

    /// <summary>The key of a server-assigned id's value.</summary>
    public static JobKey FromValue(UInt128 value) => new(value);

    /// <summary>The key of the id <paramref name="id"/>.</summary>
    public static JobKey Of(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Ulid.TryParse(id, out var value) ? new JobKey(value) : new JobKey(id);
    }

    /// <summary>
    /// The key of a server-assigned id given as UTF-8 (a ULID's exact text), straight from its bytes without a string;
    /// false for any other id, whose key is <see cref="Of"/> of its decoded text.
    /// </summary>
    public static bool TryOfUlid(ReadOnlySpan<byte> utf8, out JobKey key)
    {
        var isUlid = Ulid.TryParse(utf8, out var value);
        key = isUlid ? new JobKey(value) : default;
        return isUlid;
    }

    /// <summary>The key of <paramref name="id"/>, as <see cref="Of"/> (which parses it).</summary>
    public static implicit operator JobKey(string id) => Of(id);

    private UInt128 Value => new(upper, lower);

    /// <summary>Whether this is the key of <paramref name="id"/>, without making a string.</summary>
    public bool Is(string id) => text is null
        ? Ulid.TryParse(id, out var value) && value == Value
        : string.Equals(text, id, StringComparison.Ordinal);

    /// <summary>The id's ULID value, when it is one (else the key holds the id's string: <see cref="ToString"/>).</summary>
    public bool TryGetUlid(out UInt128 value)
    {
        value = Value;
        return text is null;
    }

    /// <summary>The id (a new string for a ULID value: keep it only as long as it is needed).</summary>
    public override string ToString() => text ?? Ulid.Format(Value);

    public bool Equals(JobKey other) => upper == other.upper && lower == other.lower && string.Equals(text, other.text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => obj is JobKey other && Equals(other);

    /// <remarks>
    /// HashCode is seeded per process, so ids a client chooses cannot be made to collide on purpose. A value's code is
    /// the seeded hash of all but its low 8 bits, plus those 8 bits: the ids the server makes within a millisecond count
    /// up by one, so a batch's new jobs land in neighbouring buckets of the job table instead of a cache (and, in a
    /// virtual machine, a TLB) miss each (an insert into 4,000,000 jobs: 359 → 82–142 ns). The 256 values of a group
    /// never collide with each other, and where a group starts is as unpredictable as any seeded hash.
    /// </remarks>
    public override int GetHashCode() =>
        text is null ? HashCode.Combine(upper, lower >> 8) + (int)(lower & 0xFF) : text.GetHashCode(StringComparison.Ordinal);

    public static bool operator ==(JobKey left, JobKey right) => left.Equals(right);

    public static bool operator !=(JobKey left, JobKey right) => !left.Equals(right);
}
