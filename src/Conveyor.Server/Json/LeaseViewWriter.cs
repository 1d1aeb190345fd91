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

    /// <summary><see cref="Members"/> as the loop reads them.</summary>
    private static readonly ViewMember<LeaseViewField>[] Written = ViewMember<LeaseViewField>.Of(Members);

    /// <summary>The lease, or <c>null</c>; with <paramref name="omitDefaults"/> a null worker is left out.</summary>
    public static void Append(ViewBuffer view, JobLease? lease, RepeatedValues repeated, bool omitDefaults)
    {
        if (lease is null)
        {
            view.Append("null"u8);
            return;
        }

        var start = view.OpenObject();
        foreach (ref readonly var member in Written.AsSpan())
        {
            var field = member.Field;
            if (omitDefaults && field == LeaseViewField.WorkerId && lease.WorkerId is null)
            {
                continue;
            }

            view.AppendName(member);
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

        view.CloseObject(start);
    }
}
