using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>
/// The one column list every job read uses, for both tables (the hot <c>jobs</c> and the finished <c>jobs_done</c>),
/// and the reader that turns a row of it into a <see cref="JobInfo"/>.
/// </summary>
internal static class JobRows
{
    /// <summary>The columns of an unfinished job, in <see cref="Read"/>'s order.</summary>
    public const string HotColumns =
        "id, seq, queue, type, state, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, run_at, " +
        "NULL::bigint AS finished_at, available_at, unique_key, unique_until, backoff_kind, backoff_seconds, lease_token, " +
        "lease_worker, lease_expires_at, tags, meta, failures, args, ready_seq, unique_mode, timeout_seconds, progress_percent, " +
        "progress_message, progress_at, NULL::bytea AS result";

    /// <summary>The columns of a finished job, in <see cref="Read"/>'s order.</summary>
    public const string DoneColumns =
        "id, seq, queue, type, state, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, NULL::bigint AS run_at, " +
        "finished_at, NULL::bigint AS available_at, unique_key, unique_until, backoff_kind, backoff_seconds, NULL::bigint AS lease_token, " +
        "NULL::text AS lease_worker, NULL::bigint AS lease_expires_at, tags, meta, failures, args, NULL::bigint AS ready_seq, " +
        "unique_mode, timeout_seconds, progress_percent, progress_message, progress_at, result";

    /// <summary>Columns a finished row copies from the hot row it replaces (the rest are set by the move).</summary>
    public const string MovedColumns =
        "id, seq, queue, type, priority, attempt, max_attempts, keep_dead, lease_seconds, created_at, unique_key, unique_until, " +
        "backoff_kind, backoff_seconds, tags, meta, args";

    public const int Seq = 1;
    public const int ReadySeq = 25;

    /// <summary>The first column after the list (a statement's own extra column).</summary>
    public const int Count = 32;

    public static JobInfo Read(NpgsqlDataReader r)
    {
        var state = (JobState)r.GetInt16(4);
        var failures = r.IsDBNull(23) ? null : r.GetFieldValue<byte[]>(23);
        return new JobInfo
        {
            Key = JobKey.Of(r.GetString(0)),
            Queue = r.GetString(2),
            Type = r.GetString(3),
            State = state,
            Priority = r.GetInt16(5),
            Attempt = r.GetInt32(6),
            MaxAttempts = r.GetInt32(7),
            Dead = r.GetBoolean(8),
            LeaseSeconds = r.GetInt32(9),
            CreatedAt = Time(r.GetInt64(10)),
            RunAt = NullableTime(r, 11),
            FinishedAt = NullableTime(r, 12),
            UniqueKey = r.IsDBNull(14) ? null : r.GetString(14),
            Backoff = new Backoff((BackoffKind)r.GetInt16(16), r.GetInt32(17)),
            Lease = state == JobState.Active
                ? new JobLease(
                    LeaseTokens.Text(r.GetInt64(18)), r.IsDBNull(19) ? null : r.GetString(19), Time(r.GetInt64(20)))
                : null,
            Tags = r.GetFieldValue<string[]>(21),
            Meta = RowCodec.ReadMeta(r.IsDBNull(22) ? null : r.GetFieldValue<byte[]>(22)),
            Failures = RowCodec.ReadFailures(failures),
            Args = r.GetFieldValue<byte[]>(24),
            UniqueMode = (UniqueMode)r.GetInt16(26),
            TimeoutSeconds = r.IsDBNull(27) ? null : r.GetInt32(27),
            Progress = r.IsDBNull(28) ? null : new JobProgress(r.GetInt16(28), r.IsDBNull(29) ? null : r.GetString(29), Time(r.GetInt64(30))),
            Result = r.IsDBNull(31) ? (ReadOnlyMemory<byte>?)null : r.GetFieldValue<byte[]>(31),
        };
    }

    public static DateTimeOffset Time(long ticks) => new(ticks, TimeSpan.Zero);

    private static DateTimeOffset? NullableTime(NpgsqlDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : Time(r.GetInt64(ordinal));
}
