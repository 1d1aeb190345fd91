using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using FailureFields = (int Attempt, System.DateTimeOffset At, string? ErrorType, string? Message, System.Collections.Generic.IReadOnlyList<string>? Backtrace);

namespace Conveyor.Client.Json;

/// <summary>Reads one of a job's <see cref="FailureView"/>s as the serializer does.</summary>
internal static class FailureViewReader
{
    /// <summary>The members of <see cref="FailureView"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<FailureFields>> Members = new([
        new("attempt", static (ref p, ref failure) => failure.Attempt = p.ReadInt()),
        new("at", static (ref p, ref failure) => failure.At = p.ReadDate()),
        new("error_type", static (ref p, ref failure) => failure.ErrorType = p.ReadString()),
        new("message", static (ref p, ref failure) => failure.Message = p.ReadString()),
        new("backtrace", static (ref p, ref failure) => failure.Backtrace = p.ReadList(static (ref p) => p.ReadString()!))]);

    public static FailureView Read(ref ResponseParser parser)
    {
        FailureFields failure = default;
        parser.ReadObject(Members, ref failure);
        return new FailureView(failure.Attempt, failure.At, failure.ErrorType!, failure.Message!, failure.Backtrace!);
    }
}
