using Conveyor.Core.Jobs;

namespace Conveyor.Server.Faktory;

/// <summary>The refusals of ACK and FAIL for a lease this connection's worker does not hold (see <see cref="FaktoryLeaseHolder"/>).</summary>
internal static class FaktoryFencing
{
    /// <summary>Throws unless <paramref name="lease"/> was granted over Faktory to the session's wid.</summary>
    public static void EnsureHeldBy(FaktorySession session, string jid, JobLease lease)
    {
        if (string.Equals(lease.WorkerId, session.LeaseHolder, StringComparison.Ordinal))
        {
            return;
        }

        throw new FaktoryVerbException(FaktoryLeaseHolder.IsReserved(lease.WorkerId)
            ? $"job {jid} is leased to another Faktory worker; only that wid can ACK or FAIL it"
            : $"job {jid} is leased over HTTP; only its HTTP worker can settle it");
    }

    /// <summary>The lease changed between the read and the settle (it expired and was fetched again).</summary>
    public static FaktoryVerbException LostLease(string jid) => new($"job {jid} is no longer leased to this worker");
}
