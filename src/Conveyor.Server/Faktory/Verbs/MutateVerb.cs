using System.Text;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>MUTATE {"cmd","target","filter"}</c> → <c>+OK</c>: clear, discard, kill or requeue the jobs of the
/// scheduled, retries or dead set that match every filter given (jobtype, jids, a glob over the job's JSON).
/// </summary>
internal sealed class MutateVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var mutate = FaktoryJson.Read(payload, FaktoryJson.Context.FaktoryMutate, "MUTATE");
        var state = mutate.Target switch
        {
            "scheduled" => JobState.Scheduled,
            "retries" => JobState.Retrying,
            "dead" => JobState.Dead,
            _ => throw new FaktoryVerbException("MUTATE target must be scheduled, retries or dead"),
        };
        var broker = session.Broker;
        Func<IReadOnlyList<string>, CancellationToken, ValueTask<int>> operation = mutate.Cmd switch
        {
            "clear" or "discard" => broker.DiscardAsync,
            "kill" => broker.KillAsync,
            "requeue" => broker.RequeueAsync,
            _ => throw new FaktoryVerbException("MUTATE cmd must be clear, discard, kill or requeue"),
        };

        var filter = mutate.Cmd == "clear" ? null : mutate.Filter;
        var jids = filter?.Jids is { Count: > 0 } list ? new HashSet<string>(list, StringComparer.Ordinal) : null;
        var glob = string.IsNullOrEmpty(filter?.Regexp) || filter.Regexp == "*" ? null : FaktoryGlob.ToRegex(filter.Regexp, "MUTATE filter regexp");
        List<string> ids = [];
        await foreach (var job in FaktoryJobScan.AllAsync(broker, state, null, filter?.Jobtype is { Length: > 0 } t ? t : null, cancellationToken).ConfigureAwait(false))
        {
            var id = job.Id; // made once: a server-assigned id is held as its value
            if ((jids is null || jids.Contains(id)) && (glob is null || glob.IsMatch(JsonOf(job))))
            {
                ids.Add(id);
            }
        }

        await FaktoryJobScan.InChunksAsync(ids, operation, cancellationToken).ConfigureAwait(false);
        return FaktoryReply.Ok;
    }

    private static string JsonOf(JobInfo job) =>
        Encoding.UTF8.GetString(FaktoryJson.Write(FaktoryJobMapping.ToFaktory(job), FaktoryJson.Context.FaktoryJob));
}
