using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;
using LeaseFields = (string? Token, string? WorkerId, System.DateTimeOffset ExpiresAt);

namespace Conveyor.Client.Json;

/// <summary>Reads a job's <see cref="LeaseView"/> as the serializer does.</summary>
internal static class LeaseViewReader
{
    /// <summary>The members of <see cref="LeaseView"/>.</summary>
    public static readonly JsonMemberTable<ResponseMember<LeaseFields>> Members = new([
        new("token", static (ref p, ref lease) => lease.Token = p.ReadString()),
        new("worker_id", static (ref p, ref lease) => lease.WorkerId = p.ReadString(ref p.WorkerIds)),
        new("expires_at", static (ref p, ref lease) => lease.ExpiresAt = p.ReadDate(ref p.Expiries))]);

    public static LeaseView Read(ref ResponseParser parser)
    {
        LeaseFields lease = default;
        parser.ReadObject(Members, ref lease);
        return new LeaseView(lease.Token!, lease.WorkerId, lease.ExpiresAt);
    }
}
