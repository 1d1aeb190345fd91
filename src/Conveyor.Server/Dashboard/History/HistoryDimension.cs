namespace Conveyor.Server.Dashboard.History;

/// <summary>What a history series counts: every job, one queue's, or one job type's.</summary>
internal enum HistoryDimension : byte
{
    All = 0,
    Queue = 1,
    Type = 2,
}
