using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.State;

/// <summary>Jobs are equal when their keys are; a <see cref="JobKey"/> finds its job without making an entry to compare.</summary>
internal sealed class JobEntryKeyComparer : IEqualityComparer<JobEntry>, IAlternateEqualityComparer<JobKey, JobEntry>
{
    public static readonly JobEntryKeyComparer Instance = new();

    private JobEntryKeyComparer()
    {
    }

    public bool Equals(JobEntry? x, JobEntry? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.Key == y.Key);

    public int GetHashCode(JobEntry obj) => obj.Key.GetHashCode();

    public bool Equals(JobKey alternate, JobEntry other) => alternate == other.Key;

    public int GetHashCode(JobKey alternate) => alternate.GetHashCode();

    /// <summary>Never used: jobs are added as entries, only looked up by key.</summary>
    public JobEntry Create(JobKey alternate) => throw new NotSupportedException("a job entry cannot be made from its key");
}
