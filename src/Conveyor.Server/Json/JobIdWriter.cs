using System.Text.Json;
using Conveyor.Core.Jobs;

namespace Conveyor.Server.Json;

/// <summary>
/// Writes a job's id from its <see cref="JobKey"/>: a server-assigned id's text goes straight from its value into the
/// answer, without a string (the Crockford alphabet needs no escaping); any other id is the string the key holds.
/// </summary>
internal static class JobIdWriter
{
    public static void WriteIdValue(this Utf8JsonWriter writer, JobKey key)
    {
        if (key.TryGetUlid(out var value))
        {
            Span<byte> ulid = stackalloc byte[Ulid.Length];
            Ulid.FormatUtf8(value, ulid);
            writer.WriteStringValue(ulid);
        }
        else
        {
            writer.WriteStringValue(key.ToString());
        }
    }
}
