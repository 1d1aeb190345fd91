using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;
using Npgsql;

namespace Conveyor.Storage.Postgres;

/// <summary>What a settle or lease expiry needs of an unfinished job, read under its row lock.</summary>
internal sealed record LeasedRow(
    string Id, JobState State, long? Token, string? Worker, int Attempt, int MaxAttempts, Backoff Backoff, bool KeepDead,
    byte[]? Failures, int LeaseSeconds, long? LeaseExpiresAt = null, long? AttemptDeadline = null, int? TimeoutSeconds = null)
{
    public const string Columns =
        "id, state, lease_token, lease_worker, attempt, max_attempts, backoff_kind, backoff_seconds, keep_dead, failures, lease_seconds, " +
        "lease_expires_at, attempt_deadline, timeout_seconds";

    public static LeasedRow Read(NpgsqlDataReader r) => new(
        r.GetString(0),
        (JobState)r.GetInt16(1),
        r.IsDBNull(2) ? null : r.GetInt64(2),
        r.IsDBNull(3) ? null : r.GetString(3),
        r.GetInt32(4),
        r.GetInt32(5),
        new Backoff((BackoffKind)r.GetInt16(6), r.GetInt32(7)),
        r.GetBoolean(8),
        r.IsDBNull(9) ? null : r.GetFieldValue<byte[]>(9),
        r.GetInt32(10),
        r.IsDBNull(11) ? null : r.GetInt64(11),
        r.IsDBNull(12) ? null : r.GetInt64(12),
        r.IsDBNull(13) ? null : r.GetInt32(13));

    /// <summary>Whether the lease ends at the attempt's deadline: its expiry is then a timeout, not a lost worker.</summary>
    public bool LeaseEndsAtDeadline => AttemptDeadline is { } deadline && LeaseExpiresAt >= deadline;

    /// <summary>Whether <paramref name="token"/> (and <paramref name="workerId"/>, when given) hold this job's current lease.</summary>
    public bool IsHeldBy(string token, string? workerId) =>
        State == JobState.Active && Token == LeaseTokens.Parse(token)
        && (workerId is null || string.Equals(Worker, workerId, StringComparison.Ordinal));
}
