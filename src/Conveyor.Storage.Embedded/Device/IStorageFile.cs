namespace Conveyor.Storage.Embedded.Device;

/// <summary>An open file of an <see cref="IStorageDevice"/>. Used by one thread at a time.</summary>
internal interface IStorageFile : IDisposable
{
    /// <summary>The device-relative path the file was opened with.</summary>
    string Path { get; }

    /// <summary>Current length in bytes (written, not necessarily durable).</summary>
    long Length { get; }

    /// <summary>Appends at <see cref="Length"/>. May write part of the data before it throws (disk full).</summary>
    void Write(ReadOnlySpan<byte> data);

    /// <summary>Overwrites or extends the file at <paramref name="offset"/> (at most <see cref="Length"/>).</summary>
    void WriteAt(long offset, ReadOnlySpan<byte> data);

    /// <summary>fsync: returns once everything written so far is on disk; throws <see cref="IOException"/> otherwise.</summary>
    void Sync();

    /// <summary>
    /// Asks the OS to start writing <paramref name="length"/> bytes from <paramref name="offset"/> to disk, without
    /// waiting for them (Linux <c>sync_file_range</c>): a hint that spreads a big file's write-back over its writing.
    /// Makes nothing durable — that is still <see cref="Sync"/>'s, which also reports any error the write-back met.
    /// </summary>
    void StartWriteBack(long offset, long length);

    /// <summary>Cuts the file to <paramref name="length"/> bytes.</summary>
    void Truncate(long length);
}
