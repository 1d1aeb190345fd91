using System.Text.Json;
using Conveyor.Core.Jobs;
using Conveyor.Core.Retry;

namespace Conveyor.Server.Json;

/// <summary>
/// Writes a <see cref="JobInfo"/> as the wire job view straight from the store's record: the same bytes
/// the serializer writes for <c>JobViewMapping.ToView(job)</c> (a parity test holds it to that), without
/// building the view or walking the serializer's metadata for every job of a fetch.
/// </summary>
internal static class JobViewWriter
{
    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText Queue = JsonEncodedText.Encode("queue");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText Args = JsonEncodedText.Encode("args");
    private static readonly JsonEncodedText Priority = JsonEncodedText.Encode("priority");
    private static readonly JsonEncodedText State = JsonEncodedText.Encode("state");
    private static readonly JsonEncodedText Attempt = JsonEncodedText.Encode("attempt");
    private static readonly JsonEncodedText MaxAttempts = JsonEncodedText.Encode("max_attempts");
    private static readonly JsonEncodedText Dead = JsonEncodedText.Encode("dead");
    private static readonly JsonEncodedText LeaseSeconds = JsonEncodedText.Encode("lease_seconds");
    private static readonly JsonEncodedText CreatedAt = JsonEncodedText.Encode("created_at");
    private static readonly JsonEncodedText RunAt = JsonEncodedText.Encode("run_at");
    private static readonly JsonEncodedText FinishedAt = JsonEncodedText.Encode("finished_at");
    private static readonly JsonEncodedText UniqueKey = JsonEncodedText.Encode("unique_key");
    private static readonly JsonEncodedText Tags = JsonEncodedText.Encode("tags");
    private static readonly JsonEncodedText Meta = JsonEncodedText.Encode("meta");
    private static readonly JsonEncodedText BackoffName = JsonEncodedText.Encode("backoff");
    private static readonly JsonEncodedText Failures = JsonEncodedText.Encode("failures");
    private static readonly JsonEncodedText At = JsonEncodedText.Encode("at");
    private static readonly JsonEncodedText ErrorType = JsonEncodedText.Encode("error_type");
    private static readonly JsonEncodedText Message = JsonEncodedText.Encode("message");
    private static readonly JsonEncodedText Backtrace = JsonEncodedText.Encode("backtrace");
    private static readonly JsonEncodedText Lease = JsonEncodedText.Encode("lease");
    private static readonly JsonEncodedText Token = JsonEncodedText.Encode("token");
    private static readonly JsonEncodedText WorkerId = JsonEncodedText.Encode("worker_id");
    private static readonly JsonEncodedText ExpiresAt = JsonEncodedText.Encode("expires_at");
    private static readonly JsonEncodedText Exponential = JsonEncodedText.Encode(Backoff.Exponential.ToString());

    private static readonly JsonEncodedText[] StateNames = EncodeStateNames();

    /// <summary>Writes one job; <paramref name="repeated"/> (one per response) encodes values shared by its jobs once.</summary>
    public static void Write(Utf8JsonWriter writer, JobInfo job, RepeatedValues repeated)
    {
        writer.WriteStartObject();
        writer.WriteId(Id, job.Key);
        repeated.WriteQueue(writer, Queue, job.Queue);
        repeated.WriteType(writer, Type, job.Type);
        writer.WritePropertyName(Args);
        if (job.Args.IsEmpty)
        {
            writer.WriteNullValue();
        }
        else
        {
            // Checked once, when the job was accepted (the enqueue readers keep only a whole JSON value in valid UTF-8);
            // kept byte for byte since (CRC-checked in the WAL and snapshots). Not tokenized again on every fetch.
            writer.WriteRawValue(job.Args.Span, skipInputValidation: true);
        }

        writer.WriteNumber(Priority, job.Priority);
        writer.WriteString(State, StateNames[(int)job.State]);
        writer.WriteNumber(Attempt, job.Attempt);
        writer.WriteNumber(MaxAttempts, job.MaxAttempts);
        writer.WriteBoolean(Dead, job.Dead);
        writer.WriteNumber(LeaseSeconds, job.LeaseSeconds);
        repeated.WriteCreatedAt(writer, CreatedAt, job.CreatedAt);
        WriteDate(writer, RunAt, job.RunAt);
        WriteDate(writer, FinishedAt, job.FinishedAt);
        WriteNullable(writer, UniqueKey, job.UniqueKey);
        WriteStrings(writer, Tags, job.Tags);
        writer.WriteStartObject(Meta);
        foreach (var (key, value) in job.Meta)
        {
            writer.WriteString(key, value);
        }

        writer.WriteEndObject();
        if (job.Backoff == Backoff.Exponential)
        {
            writer.WriteString(BackoffName, Exponential);
        }
        else
        {
            writer.WriteString(BackoffName, job.Backoff.ToString());
        }

        writer.WriteStartArray(Failures);
        foreach (var failure in job.Failures)
        {
            writer.WriteStartObject();
            writer.WriteNumber(Attempt, failure.Attempt);
            writer.WriteString(At, failure.At);
            writer.WriteString(ErrorType, failure.ErrorType);
            writer.WriteString(Message, failure.Message);
            WriteStrings(writer, Backtrace, failure.Backtrace);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (job.Lease is { } lease)
        {
            writer.WriteStartObject(Lease);
            writer.WriteString(Token, lease.Token);
            if (lease.WorkerId is null)
            {
                writer.WriteNull(WorkerId);
            }
            else
            {
                repeated.WriteWorker(writer, WorkerId, lease.WorkerId);
            }

            repeated.WriteExpiresAt(writer, ExpiresAt, lease.ExpiresAt);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull(Lease);
        }

        writer.WriteEndObject();
    }

    /// <summary>Each state's wire name, indexed by the state's value.</summary>
    private static JsonEncodedText[] EncodeStateNames()
    {
        var states = Enum.GetValues<JobState>();
        var names = new JsonEncodedText[(int)states.Max() + 1];
        foreach (var state in states)
        {
            names[(int)state] = JsonEncodedText.Encode(state.ToName());
        }

        return names;
    }

    private static void WriteDate(Utf8JsonWriter writer, JsonEncodedText name, DateTimeOffset? value)
    {
        if (value is { } date)
        {
            writer.WriteString(name, date);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNullable(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteStrings(Utf8JsonWriter writer, JsonEncodedText name, IReadOnlyList<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}
