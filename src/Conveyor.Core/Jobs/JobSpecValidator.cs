namespace Conveyor.Core.Jobs;

/// <summary>Checks a <see cref="JobSpec"/> against the limits in <see cref="JobDefaults"/>.</summary>
public static class JobSpecValidator
{
    /// <summary>The characters a client-chosen id may use, as a refusal names them.</summary>
    private const string IdCharacters = "ASCII letters, digits and - _ . :";

    /// <summary>The first problem with <paramref name="spec"/>, or null when it is valid.</summary>
    public static JobSpecError? Validate(JobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Id is not null && IdError(spec.Id) is { } idError)
        {
            return new JobSpecError("id", idError);
        }

        if (NameError(spec.Queue, JobDefaults.MaxQueueLength) is { } queueError)
        {
            return new JobSpecError("queue", queueError);
        }

        if (NameError(spec.Type, JobDefaults.MaxTypeLength) is { } typeError)
        {
            return new JobSpecError("type", typeError);
        }

        if (spec.Priority is < JobDefaults.MinPriority or > JobDefaults.MaxPriority)
        {
            return new JobSpecError("priority", $"must be {JobDefaults.MinPriority}–{JobDefaults.MaxPriority}");
        }

        if (spec.MaxAttempts is < 1 or > JobDefaults.MaxAttemptsLimit)
        {
            return new JobSpecError("max_attempts", $"must be 1–{JobDefaults.MaxAttemptsLimit}");
        }

        if (spec.LeaseSeconds is < 1 or > JobDefaults.MaxLeaseSeconds)
        {
            return new JobSpecError("lease_seconds", $"must be 1–{JobDefaults.MaxLeaseSeconds}");
        }

        if (spec.UniqueKey is not null)
        {
            if (spec.UniqueKey.Length is 0 or > JobDefaults.MaxUniqueKeyLength)
            {
                return new JobSpecError("unique_key", $"must be 1–{JobDefaults.MaxUniqueKeyLength} characters");
            }

            if (spec.UniqueForSeconds is < 1 or > JobDefaults.MaxUniqueForSeconds)
            {
                return new JobSpecError("unique_for_seconds", $"must be 1–{JobDefaults.MaxUniqueForSeconds} with unique_key");
            }
        }

        if (spec.Tags.Count > JobDefaults.MaxTags || spec.Tags.Any(t => t is null || t.Length > JobDefaults.MaxLabelLength))
        {
            return new JobSpecError("tags", $"at most {JobDefaults.MaxTags} tags of at most {JobDefaults.MaxLabelLength} characters");
        }

        if (spec.Meta.Count > JobDefaults.MaxMetaEntries
            || spec.Meta.Any(m => m.Key.Length is 0 or > JobDefaults.MaxLabelLength || m.Value is null || m.Value.Length > JobDefaults.MaxLabelLength))
        {
            return new JobSpecError("meta", $"at most {JobDefaults.MaxMetaEntries} entries with non-empty keys, values of at most {JobDefaults.MaxLabelLength} characters");
        }

        if (spec.Args.Length > JobDefaults.MaxJobBytes)
        {
            return new JobSpecError("args", $"must be at most {JobDefaults.MaxJobBytes} bytes");
        }

        return null;
    }

    /// <summary>
    /// Ids go into URL paths (<c>/v1/jobs/{id}/ack</c>) unescaped by clients: only characters that need no escaping there.
    /// ULIDs and the jids Faktory clients make (hex, UUIDs, base64url) are all inside this set.
    /// </summary>
    private static string? IdError(string id)
    {
        if (id.Length is 0 or > JobDefaults.MaxIdLength)
        {
            return $"must be 1–{JobDefaults.MaxIdLength} characters";
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return $"must contain only {IdCharacters}";
            }
        }

        return null;
    }

    private static string? NameError(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return $"must be 1–{maxLength} characters";
        }

        // Names are printable ASCII almost always: find the characters outside '!'..'~' in one vectorized pass and
        // look only at those (no precomputed set: nothing to build on the first request).
        var rest = value.AsSpan();
        int i;
        while ((i = rest.IndexOfAnyExceptInRange('!', '~')) >= 0)
        {
            if (char.IsControl(rest[i]) || char.IsWhiteSpace(rest[i]))
            {
                return "must not contain spaces or control characters";
            }

            rest = rest[(i + 1)..];
        }

        return null;
    }
}
