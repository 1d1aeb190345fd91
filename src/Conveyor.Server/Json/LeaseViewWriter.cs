using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>Writes a job's lease as the wire <c>LeaseView</c>, inside <see cref="JobViewWriter"/>'s view.</summary>
internal static class LeaseViewWriter
{
    /// <summary>The members of the lease view, in the order the serializer writes <c>LeaseView</c>'s.</summary>
    public static readonly JsonMemberTable<ViewMember<JobLease>> Members = new([
        new("token", new(static (view, lease, _, _) => view.AppendString(lease.Token))),
        new("worker_id", new(static (view, lease, repeated, _) => AppendWorker(view, lease.WorkerId, repeated), static lease => lease.WorkerId is null)),
        new("expires_at", new(static (view, lease, repeated, _) => view.Append(repeated.ExpiresAt(lease.ExpiresAt)))),
    ]);

    private static void AppendWorker(ViewBuffer view, string? worker, RepeatedValues repeated)
    {
        if (worker is null)
        {
            view.Append("null"u8);
        }
        else
        {
            view.AppendQuoted(repeated.Worker(worker));
        }
    }
}
