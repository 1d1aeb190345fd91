using Conveyor.Core.Inputs;

namespace Conveyor.Core.Jobs;

/// <summary>Checks a <see cref="JobSpec"/> against <see cref="InputLimits"/> and the ranges in <see cref="JobDefaults"/>.</summary>
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
            return Error("id", idError);
        }

        if (NameRules.Check(spec.Queue, InputLimits.QueueLength) is { } queueError)
        {
            return Error("queue", queueError);
        }

        if (NameRules.Check(spec.Type, InputLimits.TypeLength) is { } typeError)
        {
            return Error("type", typeError);
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
            if (spec.UniqueKey.Length is 0 or > InputLimits.UniqueKeyLength)
            {
                return new JobSpecError("unique_key", $"must be 1–{InputLimits.UniqueKeyLength} characters", spec.UniqueKey.Length > 0);
            }

            if (spec.UniqueForSeconds is < 0 or > JobDefaults.MaxUniqueForSeconds)
            {
                return new JobSpecError("unique_for_seconds", $"must be 0–{JobDefaults.MaxUniqueForSeconds} (0: no bound)");
            }

            if (!Enum.IsDefined(spec.UniqueMode))
            {
                return new JobSpecError("unique_until", "must be 'finished', 'started' or 'completed'");
            }
        }
        else if (spec.UniqueForSeconds != 0 || spec.UniqueMode != UniqueMode.UntilFinished)
        {
            return new JobSpecError(spec.UniqueForSeconds != 0 ? "unique_for_seconds" : "unique_until", "needs unique_key or unique_by_args");
        }

        if (spec.TimeoutSeconds is < 1 or > JobDefaults.MaxLeaseSeconds)
        {
            return new JobSpecError("timeout_seconds", $"must be 1–{JobDefaults.MaxLeaseSeconds}");
        }

        if (TagsError(spec.Tags) is { } tagsError)
        {
            return Error("tags", tagsError);
        }

        if (MetaError(spec.Meta) is { } metaError)
        {
            return Error("meta", metaError);
        }

        if (spec.Args.Length > InputLimits.ArgsBytes)
        {
            return new JobSpecError("args", $"must be at most {InputLimits.ArgsBytes} bytes", TooLarge: true);
        }

        return null;
    }

    private static JobSpecError Error(string field, InputError error) => new(field, error.Message, error.TooLarge);

    /// <summary>
    /// Ids go into URL paths (<c>/v1/jobs/{id}/ack</c>) unescaped by clients: only characters that need no escaping there.
    /// ULIDs and the jids Faktory clients make (hex, UUIDs, base64url) are all inside this set.
    /// </summary>
    private static InputError? IdError(string id)
    {
        if (id.Length == 0)
        {
            return new InputError($"must be 1–{InputLimits.IdLength} characters");
        }

        if (id.Length > InputLimits.IdLength)
        {
            return new InputError($"must be at most {InputLimits.IdLength} characters", TooLarge: true);
        }

        foreach (var c in id)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.' or ':'))
            {
                return new InputError($"must contain only {IdCharacters}");
            }
        }

        return null;
    }

    /// <summary>Tags are names (an empty one is allowed, as before), spaces included.</summary>
    private static InputError? TagsError(IReadOnlyList<string> tags)
    {
        if (tags.Count > InputLimits.Tags)
        {
            return new InputError($"at most {InputLimits.Tags} tags", TooLarge: true);
        }

        for (var i = 0; i < tags.Count; i++)
        {
            var tag = tags[i];
            if (tag is null)
            {
                return new InputError($"tag {i} must be a string");
            }

            if (tag.Length > InputLimits.TagLength)
            {
                return new InputError($"tag {i} must be at most {InputLimits.TagLength} characters", TooLarge: true);
            }

            if (NameRules.CharacterError(tag, spaces: true) is { } error)
            {
                return new InputError($"tag {i} {error.Message}");
            }
        }

        return null;
    }

    /// <summary>Meta keys are names, spaces included; values are free text of a bounded length.</summary>
    private static InputError? MetaError(IReadOnlyDictionary<string, string> meta)
    {
        if (meta.Count > InputLimits.MetaEntries)
        {
            return new InputError($"at most {InputLimits.MetaEntries} entries", TooLarge: true);
        }

        foreach (var (key, value) in meta)
        {
            if (NameRules.Check(key, InputLimits.MetaKeyLength, spaces: true) is { } keyError)
            {
                return new InputError($"key {Quote(key)} {keyError.Message}", keyError.TooLarge);
            }

            if (value is null)
            {
                return new InputError($"value of {Quote(key)} must be a string");
            }

            if (value.Length > InputLimits.MetaValueLength)
            {
                return new InputError($"value of {Quote(key)} must be at most {InputLimits.MetaValueLength} characters", TooLarge: true);
            }
        }

        return null;
    }

    /// <summary>A key as a refusal quotes it: never the whole of a long one, never its invisible characters.</summary>
    private static string Quote(string key)
    {
        var shown = key.Length > 32 ? key[..32] + "…" : key;
        return NameRules.CharacterError(shown, spaces: true) is null ? $"'{shown}'" : "(with refused characters)";
    }
}
