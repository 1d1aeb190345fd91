using System.Diagnostics;
using Conveyor.Contracts.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>Writes a job's lease as the wire <c>LeaseView</c>, inside <see cref="JobViewWriter"/>'s view.</summary>
internal static class LeaseViewWriter
{
    /// <summary>The members of the lease view, in the order the serializer writes <c>LeaseView</c>'s.</summary>
    public static readonly JsonMemberTable<LeaseViewField> Members = new([
        new("token", LeaseViewField.Token),
        new("worker_id", LeaseViewField.WorkerId),
        new("expires_at", LeaseViewField.ExpiresAt),
    ]);

    /// <summary>The lease, or <c>null</c>; with <paramref name="omitDefaults"/> a null worker is left out.</summary>
    public static void Append(ViewBuffer view, JobLease? lease, RepeatedValues repeated, bool omitDefaults)
    {
        if (lease is null)
        {
            view.Append("null"u8);
            return;
        }

        view.Append("{"u8);
        var first = true;
        foreach (var member in Members.Members)
        {
            var field = member.Access;
            if (omitDefaults && field == LeaseViewField.WorkerId && lease.WorkerId is null)
            {
                continue;
            }

            view.AppendName(member, ref first);
            switch (field)
            {
                case LeaseViewField.Token: view.AppendString(lease.Token); break;
                case LeaseViewField.WorkerId:
                    if (lease.WorkerId is null)
                    {
                        view.Append("null"u8);
                    }
                    else
                    {
                        view.AppendQuoted(repeated.Worker(lease.WorkerId));
                    }

                    break;
                case LeaseViewField.ExpiresAt: view.Append(repeated.ExpiresAt(lease.ExpiresAt)); break;
                default: throw new UnreachableException($"no writer for {field}");
            }
        }

        view.Append("}"u8);
    }
}
