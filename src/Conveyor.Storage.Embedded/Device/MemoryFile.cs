namespace Conveyor.Storage.Embedded.Device;

/// <summary>
/// The bytes of one in-memory file and how many of them are durable. Durable bytes are always a
/// prefix: a file only grows by appends, and any change below the durable length (truncate,
/// overwrite) pulls the durable length down to it.
/// </summary>
internal sealed class MemoryFile
{
    private byte[] _data = [];

    public long Length { get; private set; }

    public long DurableLength { get; private set; }

    public ReadOnlySpan<byte> Content => _data.AsSpan(0, checked((int)Length));

    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        var end = checked((int)(offset + data.Length));
        if (end > _data.Length)
            Array.Resize(ref _data, Math.Max(end, _data.Length * 2));
        data.CopyTo(_data.AsSpan((int)offset));
        Length = Math.Max(Length, end);
        DurableLength = Math.Min(DurableLength, offset);
    }

    public void Truncate(long length)
    {
        if (length > Length)
            Array.Resize(ref _data, Math.Max((int)length, _data.Length));
        _data.AsSpan((int)Math.Min(length, Length)).Clear();
        Length = length;
        DurableLength = Math.Min(DurableLength, length);
    }

    public void Sync() => DurableLength = Length;

    /// <summary>What a crash leaves: the durable bytes plus, to model a torn write, up to <paramref name="keepUnsyncedBytes"/> more.</summary>
    public void Crash(int keepUnsyncedBytes)
    {
        Truncate(Math.Min(Length, DurableLength + keepUnsyncedBytes));
        DurableLength = Length;
    }
}
