using System.Globalization;
using Conveyor.Protocol.Faktory.Wire;

namespace Conveyor.Server.Faktory;

/// <summary>
/// The bounds of what a Faktory client says about itself in HELLO and BEAT (docs/faktory-protocol.md, "Limits"): these
/// end up in the worker list and the logs, so each is short and printable (no control, bidi or zero-width characters).
/// An answer names the field.
/// </summary>
internal static class FaktoryFieldBounds
{
    public const int MaxWid = 128;
    public const int MaxHostname = 255;
    public const int MaxLabels = 32;
    public const int MaxLabel = 128;
    public const int MaxPwdhash = 128;
    public const int MaxCurrentState = 16;

    /// <summary>The first field of <paramref name="hello"/> out of bounds, as the error to answer; null when all are fine.</summary>
    public static string? Check(FaktoryHello hello)
    {
        if (Text("wid", hello.Wid, MaxWid, spaces: false) is { } wid)
        {
            return wid;
        }

        if (Text("hostname", hello.Hostname, MaxHostname, spaces: false) is { } hostname)
        {
            return hostname;
        }

        if (hello.Pid is <= 0)
        {
            return "HELLO pid must be a positive number";
        }

        if (Text("pwdhash", hello.Pwdhash, MaxPwdhash, spaces: false) is { } pwdhash)
        {
            return pwdhash;
        }

        if (hello.Labels is { } labels)
        {
            if (labels.Count > MaxLabels)
            {
                return $"HELLO labels: at most {MaxLabels} labels";
            }

            for (var i = 0; i < labels.Count; i++)
            {
                if (Text($"labels[{i}]", labels[i] ?? "", MaxLabel, spaces: true, required: true) is { } label)
                {
                    return label;
                }
            }
        }

        return null;
    }

    /// <summary>As <see cref="Check(FaktoryHello)"/> for BEAT: wid, current_state (empty, running, quiet or terminate) and rss_kb.</summary>
    public static string? Check(FaktoryBeat beat)
    {
        if (Text("wid", beat.Wid, MaxWid, spaces: false, verb: "BEAT") is { } wid)
        {
            return wid;
        }

        if (beat.CurrentState is { Length: > 0 } state && state is not ("running" or "quiet" or "terminate"))
        {
            return "BEAT current_state must be running, quiet or terminate";
        }

        return beat.RssKb is < 0 ? "BEAT rss_kb must not be negative" : null;
    }

    private static string? Text(string field, string? value, int max, bool spaces, bool required = false, string verb = "HELLO")
    {
        if (value is null || (value.Length == 0 && !required))
        {
            return null;
        }

        if (value.Length == 0 || value.Length > max)
        {
            return $"{verb} {field} must be 1–{max} characters";
        }

        return IsPrintable(value, spaces) ? null : $"{verb} {field} must be printable{(spaces ? "" : " without spaces")} (no control, bidi or zero-width characters)";
    }

    /// <summary>Letters, marks, numbers, punctuation and symbols; spaces only when allowed; no lone surrogate.</summary>
    public static bool IsPrintable(string value, bool spaces)
    {
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            switch (CharUnicodeInfo.GetUnicodeCategory(c))
            {
                case UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                    or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator:
                    return false;
                case UnicodeCategory.SpaceSeparator when !spaces || c != ' ':
                    return false;
            }
        }

        return true;
    }
}
