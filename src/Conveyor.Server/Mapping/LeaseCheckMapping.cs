using Conveyor.Broker;
using Conveyor.Contracts.Workers;
using Conveyor.Core.Inputs;
using Conveyor.Core.Storage;

namespace Conveyor.Server.Mapping;

/// <summary>The wire lease check → the store's <see cref="LeasesCheck"/>, and its lost leases → the wire answer.</summary>
internal static class LeaseCheckMapping
{
    public static LeasesCheck ToCheck(LeaseCheckRequest request)
    {
        var items = request.Leases ?? [];
        if (items.Count > InputLimits.LeaseChecks)
        {
            // Refused before any item is looked at, so an oversized list costs no more than its parse.
            throw new RequestRejectedException("leases", $"at most {InputLimits.LeaseChecks} leases in one check", tooLarge: true);
        }

        var leases = new JobLeaseRef[items.Count];
        for (var i = 0; i < leases.Length; i++)
        {
            var item = items[i] ?? throw new RequestRejectedException("leases", "each item must be an object", i, "leases");
            var id = item.Id switch
            {
                null or "" => throw new RequestRejectedException("leases.id", "required", i, "leases"),
                { Length: > InputLimits.IdLength } => throw new RequestRejectedException(
                    "leases.id", $"must be at most {InputLimits.IdLength} characters", i, "leases", tooLarge: true),
                _ => item.Id,
            };
            leases[i] = new JobLeaseRef(id, SettleMapping.RequireToken(item.Token, "leases", i));
        }

        return new LeasesCheck(leases);
    }

    public static LeaseCheckResponse ToResponse(IReadOnlyList<LostLease> lost) =>
        new([.. lost.Select(l => new LostLeaseView(l.Id.ToString(), l.Token, ToName(l.Loss)))]);

    public static string ToName(LeaseLoss loss) => loss switch
    {
        LeaseLoss.Cancelled => "cancelled",
        LeaseLoss.Lost => "lost",
        _ => "unknown",
    };
}
