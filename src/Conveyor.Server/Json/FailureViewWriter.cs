using System.Diagnostics;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>Writes one of a job's failures as the wire <c>FailureView</c>, inside <see cref="JobViewWriter"/>'s view.</summary>
internal static class FailureViewWriter
{
    /// <summary>The members of the failure view, in the order the serializer writes <c>FailureView</c>'s.</summary>
    public static readonly JsonMemberTable<FailureViewField> Members = new([
        new("attempt", FailureViewField.Attempt),
        new("at", FailureViewField.At),
        new("error_type", FailureViewField.ErrorType),
        new("message", FailureViewField.Message),
        new("backtrace", FailureViewField.Backtrace),
    ]);

    /// <summary><see cref="Members"/> as the loop reads them.</summary>
    private static readonly ViewMember<FailureViewField>[] Written = ViewMember<FailureViewField>.Of(Members);

    public static void Append(ViewBuffer view, JobFailure failure)
    {
        var start = view.OpenObject();
        foreach (ref readonly var member in Written.AsSpan())
        {
            view.AppendName(member);
            switch (member.Field)
            {
                case FailureViewField.Attempt: view.Append(failure.Attempt); break;
                case FailureViewField.At: view.Append(ViewBuffer.Quoted(failure.At)); break;
                case FailureViewField.ErrorType: view.AppendString(failure.ErrorType); break;
                case FailureViewField.Message: view.AppendString(failure.Message); break;
                case FailureViewField.Backtrace: JobViewWriter.AppendStrings(view, failure.Backtrace); break;
                default: throw new UnreachableException($"no writer for {member.Field}");
            }
        }

        view.CloseObject(start);
    }
}
