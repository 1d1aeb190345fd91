using Conveyor.Storage.Embedded.Operations;

namespace Conveyor.Storage.Embedded.Writer;

/// <summary>A commit written to the WAL whose fsync runs off the loop: the callers it answers once the fsync is done, and what it makes durable.</summary>
internal sealed record InFlightCommit(List<StoreOperation> Ops, LazyLeases.CommitMark Mark, SyncEnded Ended, Task Sync);
