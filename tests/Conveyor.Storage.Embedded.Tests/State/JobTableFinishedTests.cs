using Conveyor.Core.Jobs;
using Conveyor.Core.Storage;
using Conveyor.Storage.Embedded.Events;
using Conveyor.Storage.Embedded.State;
using Xunit;
using static Conveyor.Storage.Embedded.Tests.State.TableJobs;

namespace Conveyor.Storage.Embedded.Tests.State;

/// <summary>
/// Finished jobs are kept per state in the order they finished, and a job leaves its list when it leaves the state
/// (a dead job retried, then dead again, is in the list once, at its new place): for random histories, what
/// <see cref="JobTable.TakePrunable"/> offers is what a plain model of those lists says, across prunes.
/// </summary>
public sealed class JobTableFinishedTests
{

    private static readonly JobState[] PruneOrder = [JobState.Completed, JobState.Cancelled, JobState.Dead];

    [Fact]
    public void TakePrunable_RandomHistories_OffersTheOldestFinishedBeyondRetentionOrCap()
    {
        var random = new Random(21);
        for (var run = 0; run < 300; run++)
        {
            var table = new JobTable();
            var model = PruneOrder.ToDictionary(s => s, _ => new List<(string Id, long FinishedAt)>());
            var states = new Dictionary<string, JobState>();
            var now = At;
            long token = 0;

            var ids = Enumerable.Range(0, random.Next(1, 40)).Select(i => $"j{i}").ToArray();
            table.Apply(new JobsEnqueued(now, [.. ids.Select(id => Job(id))]));
            foreach (var id in ids)
            {
                states[id] = JobState.Available;
            }

            for (var step = 0; step < 120; step++)
            {
                now += random.Next(0, 3) * TimeSpan.TicksPerSecond;
                var id = ids[random.Next(ids.Length)];
                switch (states[id])
                {
                    case JobState.Available when random.Next(4) == 0:
                        table.Apply(new JobCancelled(id, now));
                        Finish(id, JobState.Cancelled);
                        break;
                    case JobState.Available:
                        var next = random.Next(2) == 0 ? JobState.Completed : JobState.Dead;
                        table.Apply(new JobsLeased(now, "w", [new LeaseGrant(id, ++token, now + TimeSpan.TicksPerHour)]));
                        table.Apply(new JobsSettled(now, [new SettledJob(id, next, 0, null)]));
                        Finish(id, next);
                        break;
                    case JobState.Dead:
                        table.Apply(new JobRetried(id, now));
                        model[JobState.Dead].RemoveAll(e => e.Id == id);
                        states[id] = JobState.Available;
                        break;
                }

                if (random.Next(20) == 0)
                {
                    Prune();
                }
            }

            Prune();
            foreach (var state in PruneOrder)
            {
                Assert.Equal(model[state].Count, table.CountIn(state));
            }

            void Finish(string id, JobState state)
            {
                model[state].Add((id, now));
                states[id] = state;
            }

            void Prune()
            {
                var retention = new RetentionPolicy(
                    TimeSpan.FromSeconds(random.Next(0, 60)), random.Next(0, 10), TimeSpan.FromSeconds(random.Next(0, 60)), random.Next(0, 10));
                var max = random.Next(1, 20);

                var taken = table.TakePrunable(now, retention, max);

                Assert.Equal(Expected(model, now, retention, max), taken.Select(j => j.Key.ToString()));
                table.Apply(new JobsPruned([.. taken.Select(j => j.Key)]) { Entries = taken });
                foreach (var job in taken)
                {
                    var id = job.Key.ToString();
                    model[states[id]].RemoveAll(e => e.Id == id);
                    states[id] = JobState.Scheduled; // gone: never picked again
                }

                ids = [.. ids.Where(i => states[i] != JobState.Scheduled)];
                if (ids.Length == 0)
                {
                    ids = [$"late{now}"];
                    table.Apply(new JobsEnqueued(now, [Job(ids[0])]));
                    states[ids[0]] = JobState.Available;
                }
            }
        }
    }

    /// <summary>The model's answer: per state, oldest finished first, while finished before the window or over the cap.</summary>
    private static List<string> Expected(Dictionary<JobState, List<(string Id, long FinishedAt)>> model, long now, RetentionPolicy retention, int max)
    {
        var result = new List<string>();
        foreach (var state in PruneOrder)
        {
            var (window, cap) = state == JobState.Dead ? (retention.Dead, retention.DeadCap) : (retention.Completed, retention.CompletedCap);
            var keep = model[state].Count;
            foreach (var (id, finishedAt) in model[state])
            {
                if (result.Count >= max || (finishedAt >= now - window.Ticks && keep <= cap))
                {
                    break;
                }

                result.Add(id);
                keep--;
            }
        }

        return result;
    }
}
