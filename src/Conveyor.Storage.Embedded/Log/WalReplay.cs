namespace Conveyor.Storage.Embedded.Log;

/// <summary>
/// Receives one recovered WAL record during <see cref="WriteAheadLog.Open"/>, in log order. The
/// payload span is only valid during the call (it points into the segment's read buffer): copy
/// or decode it before returning. An exception thrown here aborts the open.
/// </summary>
internal delegate void WalReplay(byte type, ReadOnlySpan<byte> payload);
