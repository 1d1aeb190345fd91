using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Jobs;

namespace Conveyor.Client;

/// <summary>What waiting for a job's end shares between <see cref="ConveyorClient"/> and test fakes: the finished states and the typed result.</summary>
public static class JobCompletion
{
    /// <summary>Whether <paramref name="state"/> is one a job does not leave by itself: <c>completed</c>, <c>dead</c> or <c>cancelled</c>.</summary>
    public static bool IsFinished(string state) => state is "completed" or "dead" or "cancelled";

    /// <summary>
    /// The result of a finished job read with <paramref name="typeInfo"/> (default when it completed without one); throws
    /// <see cref="JobNotCompletedException"/> when it is unknown (<paramref name="job"/> null), dead or cancelled.
    /// </summary>
    public static TResult? ResultOf<TResult>(string id, JobView? job, JsonTypeInfo<TResult> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (job is not { State: "completed" })
        {
            throw new JobNotCompletedException(id, job);
        }

        return job.Result is { Utf8.IsEmpty: false } result ? JsonSerializer.Deserialize(result.Utf8.Span, typeInfo) : default;
    }
}
