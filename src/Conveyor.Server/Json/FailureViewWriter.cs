using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>Writes one of a job's failures as the wire <c>FailureView</c>, inside <see cref="JobViewWriter"/>'s view.</summary>
internal static class FailureViewWriter
{
    /// <summary>The members of the failure view, in the order the serializer writes <c>FailureView</c>'s.</summary>
    public static readonly JsonMemberTable<ViewMember<JobFailure>> Members = new([
        new("attempt", new(static (view, failure, _, _) => view.Append(failure.Attempt))),
        new("at", new(static (view, failure, _, _) => view.Append(ViewBuffer.Quoted(failure.At)))),
        new("error_type", new(static (view, failure, _, _) => view.AppendString(failure.ErrorType))),
        new("message", new(static (view, failure, _, _) => view.AppendString(failure.Message))),
        new("backtrace", new(static (view, failure, _, _) => JobViewWriter.AppendStrings(view, failure.Backtrace))),
    ]);
}
