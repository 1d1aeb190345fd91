using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using ProgressFields = (int Percent, string? Message, System.DateTimeOffset UpdatedAt);

namespace Conveyor.Client.Json;

/// <summary>Reads a job's <see cref="ProgressView"/> as the serializer does.</summary>
internal static class ProgressViewReader
{
    /// <summary>The members of <see cref="ProgressView"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<ProgressFields>> Members = new([
        new("percent", static (ref p, ref progress) => progress.Percent = p.ReadInt()),
        new("message", static (ref p, ref progress) => progress.Message = p.ReadString()),
        new("updated_at", static (ref p, ref progress) => progress.UpdatedAt = p.ReadDate())]);

    public static ProgressView Read(ref ResponseParser parser)
    {
        ProgressFields progress = default;
        parser.ReadObject(Members, ref progress);
        return new ProgressView(progress.Percent, progress.Message, progress.UpdatedAt);
    }
}
