using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.Log;
using Conveyor.Storage.Embedded.Snapshots;
using Conveyor.Storage.Embedded.State;
using Conveyor.Storage.Embedded.Tests.Snapshots;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>
/// A snapshot written a slice at a time while events keep changing the table (<see cref="SnapshotCut"/>) is byte
/// for byte the snapshot a stopped table would have written at the cut, and that snapshot plus the events after
/// the cut rebuild the live table: random tables, random events of every kind, random slice sizes.
/// </summary>
public sealed class SnapshotCutTests
{
    [Fact]
    public void Cut_WhileRandomEventsChangeTheTable_WritesTheStateAtTheCutAndReplaysToTheLiveState()
    {
        var random = new Random(11);
        var preservedSome = 0;
        for (var round = 0; round < 200; round++)
        {
            var table = new JobTable();
            var history = new History(random, table);
            history.Run(random.Next(0, 300));

            using var atCut = new PendingBuffer();
            table.WriteSnapshot(atCut);
            using var sliced = new PendingBuffer();
            var cut = table.BeginSnapshot(sliced);
            var after = new List<StoreEvent>();
            while (!cut.WriteNext(random.Next(1, 20)))
            {
                after.AddRange(history.Run(random.Next(0, 8)));
            }

            after.AddRange(history.Run(random.Next(0, 20)));
            table.EndSnapshot();
            preservedSome += cut.MostPreserved > 0 ? 1 : 0;

            Assert.Equal(atCut.WrittenSpan.ToArray(), sliced.WrittenSpan.ToArray());
            var recovered = SnapshotCodec.Read(sliced.WrittenSpan);
            after.ForEach(recovered.Apply);
            Assert.Equal(Snapshot(table), Snapshot(recovered));
        }

        Assert.True(preservedSome > 50, $"only {preservedSome} rounds changed a job the cut had not written yet");
    }

    [Fact]
    public void Cut_JobsRemovedBeforeTheyAreWritten_AreStillWrittenAsTheyWere()
    {
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [.. Enumerable.Range(0, 10).Select(i => Job($"j{i}"))]));
        table.Apply(new JobsLeased(At, "w", [new LeaseGrant("j9", 1, At + 100)]));
        table.Apply(new JobsSettled(At, [new SettledJob("j9", JobState.Completed, 0, null)]));
        using var atCut = new PendingBuffer();
        table.WriteSnapshot(atCut);

        using var sliced = new PendingBuffer();
        var cut = table.BeginSnapshot(sliced);
        Assert.False(cut.WriteNext(2));
        table.Apply(new JobsPruned(["j9"]));
        table.Apply(new QueuePurged("q", ["j5", "j6"]));
        table.Apply(new JobsLeased(At, "w", [new LeaseGrant("j0", 2, At + 100)]));
        Assert.True(cut.WriteNext(100));
        table.EndSnapshot();

        Assert.Equal(atCut.WrittenSpan.ToArray(), sliced.WrittenSpan.ToArray());
        Assert.Equal(3, cut.MostPreserved); // j9, j5, j6; j0 was written before it changed
        Assert.Null(table.Find("j9"));
    }

    [Fact]
    public void Cut_JobsRemovedBeforeTheCut_AreLeftOutAndTheCountHolds()
    {
        // The cut copies the sequence index as it is, removed jobs not yet compacted away included, and skips those
        // as it writes; the count in the header is the table's.
        var table = new JobTable();
        table.Apply(new JobsEnqueued(At, [.. Enumerable.Range(0, 10).Select(i => Job($"j{i}"))]));
        table.Apply(new QueuePurged("q", ["j0", "j4", "j9"]));
        using var atCut = new PendingBuffer();
        table.WriteSnapshot(atCut);

        using var sliced = new PendingBuffer();
        var cut = table.BeginSnapshot(sliced);
        Assert.Equal(7, cut.Jobs);
        Assert.False(cut.WriteNext(1));
        table.Apply(new QueuePurged("q", ["j5", "j8"]));
        while (!cut.WriteNext(2))
        {
        }

        table.EndSnapshot();

        Assert.Equal(atCut.WrittenSpan.ToArray(), sliced.WrittenSpan.ToArray());
        var recovered = SnapshotCodec.Read(sliced.WrittenSpan);
        Assert.Equal(7, recovered.CountIn(JobState.Available));
        Assert.Null(recovered.Find("j0"));
        Assert.NotNull(recovered.Find("j5"));
        Assert.Equal(2, cut.MostPreserved);
    }

    [Fact]
    public void BeginSnapshot_WhileOneIsInProgress_Refused()
    {
        var table = new JobTable();
        using var body = new PendingBuffer();
        table.BeginSnapshot(body);

        Assert.Throws<InvalidOperationException>(() => table.BeginSnapshot(body));
        table.EndSnapshot();
        table.BeginSnapshot(body);
    }

    [Fact]
    public void CopyForSnapshot_CopiesEveryPropertyButTheIndexLinksSlotAndTheRemovedMark()
    {
        var queue = new QueueState("q");
        var job = new JobEntry
        {
            Key = "j", Queue = queue, Type = "t", Args = [1], Priority = 7, MaxAttempts = 3, LeaseSeconds = 9, CreatedAt = 1,
            Backoff = Backoff.Fixed(5), DiscardWhenDead = true, UniqueKey = "u", UniqueUntil = 2, UniqueMode = UniqueMode.UntilCompleted, TimeoutSeconds = 11, AttemptDeadline = 8, Tags = ["a"], Meta = [new("k", "v")],
            Seq = 3, ReadySeq = 4, State = JobState.Active, Attempt = 2, RunAt = 5, FinishedAt = 6, AvailableAt = 9,
            Failures = [new JobFailure(1, DateTimeOffset.UnixEpoch, "E", "m", [])], LeaseToken = 7, LeaseWorker = "w", LeaseExpiresAt = 8,
            Progress = new JobProgress(50, "half", DateTimeOffset.UnixEpoch), Result = [2], Removed = true, Prev = null, Next = null, SeqSlot = 10,
        };
        job.Prev = job;
        job.Next = job;

        var copy = job.CopyForSnapshot();

        string[] notCopied = [nameof(JobEntry.Prev), nameof(JobEntry.Next), nameof(JobEntry.Removed), nameof(JobEntry.SeqSlot)];
        foreach (var property in typeof(JobEntry).GetProperties())
        {
            var original = property.GetValue(job);
            var unset = property.PropertyType.IsValueType ? Activator.CreateInstance(property.PropertyType) : null;
            Assert.True(original is not null && !original.Equals(unset), $"give {property.Name} a value in this test");
            if (!notCopied.Contains(property.Name))
            {
                Assert.Equal(original, property.GetValue(copy));
            }
        }

        Assert.NotSame(job.Failures, copy.Failures);
        Assert.False(copy.Removed);
        Assert.Null(copy.Prev);
    }

    private static byte[] Snapshot(JobTable table)
    {
        using var body = new PendingBuffer();
        table.WriteSnapshot(body);
        return body.WrittenSpan.ToArray();
    }

    /// <summary>Random events that are valid for the jobs' states, applied to the table and returned.</summary>
    private sealed class History(Random random, JobTable table)
    {
        private readonly List<string> ids = [];
        private long token;
        private long now = At;
        private int created;

        public List<StoreEvent> Run(int count)
        {
            var events = new List<StoreEvent>();
            for (var i = 0; i < count; i++)
            {
                now += random.Next(1, 1000);
                var e = Next();
                if (e is not null)
                {
                    table.Apply(e);
                    events.Add(e);
                }
            }

            return events;
        }

        /// <summary>Half the ids are ULIDs in their exact form (the table keeps them as values), half other strings.</summary>
        private string NextId() => created++ % 2 == 0 ? $"j{created}" : Ulid.Format(((UInt128)created << 64) | 0xC0FFEE);

        private StoreEvent? Next()
        {
            if (random.Next(150) == 0)
            {
                // Rare, as in life: it empties the table, and a cut in progress must still write the jobs as they were.
                return new StoreFlushed(now);
            }

            ids.RemoveAll(id => table.Find(id) is null);
            if (ids.Count == 0 || random.Next(5) == 0)
            {
                var jobs = Enumerable.Range(0, random.Next(1, 6))
                    .Select(_ => Job(NextId(), random.Next(3) == 0 ? "other" : "q", random.Next(4) == 0 ? now + 10_000 : 0, random.Next(3) == 0, ["tag"], [new("k", "v")]))
                    .ToArray();
                ids.AddRange(jobs.Select(j => j.Id.ToString()));
                return new JobsEnqueued(now, jobs);
            }

            var id = ids[random.Next(ids.Count)];
            var job = table.Find(id)!;
            return job.State switch
            {
                JobState.Available => random.Next(4) switch
                {
                    0 => new JobCancelled(id, now),
                    1 => new JobsKilled(now, [id]),
                    2 => new QueuePurged(job.Queue.Name, [id]),
                    _ => new JobsLeased(now, random.Next(2) == 0 ? "w" : null, [new LeaseGrant(id, ++token, now + 5000)]),
                },
                JobState.Active => random.Next(7) switch
                {
                    0 => new LeaseExtended(id, now + 9000),
                    5 => new JobProgressed(id, now, random.Next(101), random.Next(2) == 0 ? null : "step"),
                    6 => new JobsSettled(now, [new SettledJob(id, JobState.Completed, 0, null) { Result = "{\"r\":1}"u8.ToArray() }]) { WithResults = true },
                    1 => new JobsRequeued(now, [id]),
                    2 => new JobsSettled(now, [new SettledJob(id, JobState.Retrying, now + 100, Failure(job))]),
                    3 => new JobsSettled(now, [new SettledJob(id, JobState.Dead, 0, Failure(job))]),
                    _ => new JobsSettled(now, [new SettledJob(id, JobState.Completed, 0, null)]),
                },
                JobState.Scheduled or JobState.Retrying => random.Next(3) switch
                {
                    0 => new JobsPromoted(now, [id]),
                    1 => new JobCancelled(id, now),
                    _ => new JobsKilled(now, [id]),
                },
                JobState.Dead => random.Next(3) switch
                {
                    0 => new JobsDiscarded([id]),
                    1 => new JobRetried(id, now),
                    _ => new JobsPruned([id]),
                },
                _ => random.Next(2) == 0 ? new JobsPruned([id]) : new JobRetried(id, now),
            };
        }

        private JobFailure Failure(JobEntry job) =>
            new(job.Attempt, new DateTimeOffset(now, TimeSpan.Zero), "Boom", $"failure {random.Next()}", ["at x", "at y"]);
    }
}
