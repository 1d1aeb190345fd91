using Conveyor.Core.Jobs;
using Xunit;

namespace Conveyor.Core.Tests;

public sealed class JobTransitionsTests
{
    /// <summary>The lifecycle table of docs/job-states.md, written out independently of the code.</summary>
    public static TheoryData<JobOperation, JobState[]> LegalSets() => new()
    {
        { JobOperation.Fetch, [JobState.Available] },
        { JobOperation.Ack, [JobState.Active] },
        { JobOperation.Fail, [JobState.Active] },
        { JobOperation.ExpireLease, [JobState.Active] },
        { JobOperation.Heartbeat, [JobState.Active] },
        { JobOperation.Cancel, [JobState.Scheduled, JobState.Available, JobState.Active, JobState.Retrying] },
        { JobOperation.Retry, [JobState.Dead, JobState.Retrying] },
        { JobOperation.Promote, [JobState.Scheduled, JobState.Retrying] },
        { JobOperation.Prune, [JobState.Completed, JobState.Dead, JobState.Cancelled] },
        { JobOperation.Purge, [JobState.Available] },
        { JobOperation.Kill, [JobState.Scheduled, JobState.Retrying] },
        { JobOperation.Discard, [JobState.Scheduled, JobState.Available, JobState.Retrying, JobState.Completed, JobState.Dead, JobState.Cancelled] },
        { JobOperation.Requeue, [JobState.Scheduled, JobState.Retrying, JobState.Dead] },
    };

    [Theory]
    [MemberData(nameof(LegalSets))]
    public void IsLegal_EveryState_ExactlyTheDocumentedSet(JobOperation operation, JobState[] legal)
    {
        foreach (var state in JobStateNames.All)
        {
            Assert.Equal(legal.Contains(state), JobTransitions.IsLegal(state, operation));
        }

        Assert.Equal(legal.Order(), JobTransitions.LegalStates(operation).Order());
    }

    [Fact]
    public void LegalSets_CoverEveryOperation()
    {
        var covered = LegalSets().Select(row => row.Data.Item1);

        Assert.Equal(Enum.GetValues<JobOperation>().Order(), covered.Order());
    }

    [Theory]
    [InlineData(JobOperation.Fetch, true, JobState.Active)]
    [InlineData(JobOperation.Ack, true, JobState.Completed)]
    [InlineData(JobOperation.Fail, true, JobState.Retrying)]
    [InlineData(JobOperation.Fail, false, JobState.Dead)]
    [InlineData(JobOperation.ExpireLease, true, JobState.Retrying)]
    [InlineData(JobOperation.ExpireLease, false, JobState.Dead)]
    [InlineData(JobOperation.Heartbeat, true, JobState.Active)]
    [InlineData(JobOperation.Cancel, true, JobState.Cancelled)]
    [InlineData(JobOperation.Retry, true, JobState.Available)]
    [InlineData(JobOperation.Promote, true, JobState.Available)]
    [InlineData(JobOperation.Kill, true, JobState.Dead)]
    [InlineData(JobOperation.Requeue, true, JobState.Available)]
    public void Target_Operation_DocumentedState(JobOperation operation, bool attemptsLeft, JobState expected)
    {
        Assert.Equal(expected, JobTransitions.Target(operation, attemptsLeft));
    }

    [Theory]
    [InlineData(JobOperation.Prune)]
    [InlineData(JobOperation.Purge)]
    [InlineData(JobOperation.Discard)]
    public void Target_Removal_Null(JobOperation operation)
    {
        Assert.Null(JobTransitions.Target(operation));
    }

    [Fact]
    public void Target_UnknownOperation_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => JobTransitions.Target((JobOperation)99));
    }

    [Theory]
    [InlineData(JobState.Completed, JobOperation.Cancel, "cannot cancel a job that is completed; cancel applies to scheduled, available, active, retrying jobs")]
    [InlineData(JobState.Available, JobOperation.Retry, "cannot retry a job that is available; retry applies to dead, retrying jobs")]
    [InlineData(JobState.Dead, JobOperation.ExpireLease, "cannot expire the lease of a job that is dead; expirelease applies to active jobs")]
    [InlineData(JobState.Scheduled, JobOperation.Fetch, "cannot fetch a job that is scheduled; fetch applies to available jobs")]
    public void Describe_IllegalPair_NamesStateAndLegalStates(JobState state, JobOperation operation, string expected)
    {
        Assert.Equal(expected, JobTransitions.Describe(state, operation));
    }
}
