using Conveyor.Core.Jobs;

namespace Conveyor.Server.Faktory.Verbs;

/// <summary>
/// <c>PUSHB [jobs]</c> → a bulk JSON map of rejected jid to reason (<c>{}</c> when all were accepted). The
/// valid jobs are enqueued together in one atomic batch; one whose unique lock is held is answered
/// <c>NOTUNIQUE Job not unique</c> in the map.
/// </summary>
internal sealed class PushBatchVerb : IFaktoryVerb
{
    public async ValueTask<FaktoryReply> ExecuteAsync(FaktorySession session, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var jobs = FaktoryJson.Read(payload, FaktoryJson.Context.ListFaktoryJob, "PUSHB");
        if (jobs.Count > JobDefaults.MaxBatch)
        {
            throw new FaktoryVerbException($"PUSHB takes at most {JobDefaults.MaxBatch} jobs");
        }

        if (jobs.IndexOf(null!) is >= 0 and var missing)
        {
            throw new FaktoryVerbException($"PUSHB: job {missing} is null, not a JSON object");
        }

        var rejected = new Dictionary<string, string>(StringComparer.Ordinal);
        List<JobSpec> accepted = [];
        foreach (var job in jobs)
        {
            try
            {
                var spec = FaktoryJobMapping.ToSpec(job);
                if (JobSpecValidator.Validate(spec) is { } error)
                {
                    throw new FaktoryVerbException($"{error.Field}: {error.Message}");
                }

                accepted.Add(spec);
            }
            catch (FaktoryVerbException ex)
            {
                rejected[job.Jid ?? ""] = ex.Message;
            }
        }

        if (accepted.Count > 0)
        {
            var result = await session.Broker.EnqueueBatchAsync(accepted, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < result.Jobs.Count; i++)
            {
                if (result.Jobs[i].UniqueHeld)
                {
                    rejected[accepted[i].Id ?? ""] = $"{FaktoryReply.NotUniqueCode} {FaktoryReply.NotUniqueMessage}";
                }
            }
        }

        return FaktoryReply.Bulk(FaktoryJson.Write(rejected, FaktoryJson.Context.DictionaryStringString));
    }
}
