using System.Buffers;
using Conveyor.Core.Inputs;
using Conveyor.Core.Jobs;
using Cronos;

namespace Conveyor.Core.Cron;

/// <summary>
/// A schedule's expression parsed and its time zone found: when its ticks fall, in UTC. Cronos does the calendar work
/// (DST gaps and overlaps included); this class only asks it the questions firing needs.
/// </summary>
public sealed class CronPlan
{
    /// <summary>The time zone of a schedule that names none.</summary>
    public const string DefaultTimeZone = "UTC";

    /// <summary>Longest time zone id accepted.</summary>
    public const int TimeZoneLength = 64;

    /// <summary>Longest expression accepted.</summary>
    public const int ExpressionLength = 256;

    private static readonly SearchValues<char> ZoneIdCharacters =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/_-+");

    private readonly CronExpression expression;
    private readonly TimeZoneInfo zone;

    private CronPlan(CronExpression expression, TimeZoneInfo zone)
    {
        this.expression = expression;
        this.zone = zone;
    }

    /// <summary>
    /// Parses <paramref name="expression"/> (6 fields when it has a seconds field, else 5, or a macro such as
    /// <c>@daily</c>) in <paramref name="timeZone"/>; on failure null, with the field at fault (<c>expression</c> or
    /// <c>time_zone</c>) in <paramref name="error"/>.
    /// </summary>
    public static CronPlan? TryParse(string? expression, string? timeZone, out JobSpecError? error)
    {
        if (NameRules.Check(expression, ExpressionLength, spaces: true) is { } expressionText)
        {
            error = new JobSpecError("expression", expressionText.Message, expressionText.TooLarge);
            return null;
        }

        var fields = expression!.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields is not (1 or 5 or 6))
        {
            error = new JobSpecError("expression", $"must have 5 fields (minute hour day month weekday) or 6 (seconds first); it has {fields}");
            return null;
        }

        CronExpression parsed;
        try
        {
            parsed = CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            error = new JobSpecError("expression", $"is not a valid cron expression: {ex.Message}");
            return null;
        }

        var zone = FindZone(timeZone ?? DefaultTimeZone, out error);
        return zone is null ? null : new CronPlan(parsed, zone);
    }

    /// <summary>Parses a schedule that was valid when it was saved; throws <see cref="FormatException"/> if it no longer is (a time zone gone from this machine).</summary>
    public static CronPlan Parse(string expression, string timeZone) =>
        TryParse(expression, timeZone, out var error) ?? throw new FormatException($"{error!.Field} {error.Message}");

    /// <summary>The first tick strictly after <paramref name="from"/>, in UTC; null if there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset from) =>
        expression.GetNextOccurrence(from.UtcDateTime, zone, inclusive: false) is { } next ? new DateTimeOffset(next, TimeSpan.Zero) : null;

    /// <summary>Up to <paramref name="count"/> ticks after <paramref name="from"/>, in order, in UTC.</summary>
    public IReadOnlyList<DateTimeOffset> Next(DateTimeOffset from, int count)
    {
        var ticks = new List<DateTimeOffset>(count);
        var at = from;
        while (ticks.Count < count && NextAfter(at) is { } next)
        {
            ticks.Add(next);
            at = next;
        }

        return ticks;
    }

    /// <summary>
    /// The latest tick in (<paramref name="after"/>, <paramref name="now"/>]; null when none is due. After a long
    /// downtime of a frequent schedule it looks back from <paramref name="now"/> in doubling steps instead of walking
    /// every missed tick.
    /// </summary>
    public DateTimeOffset? LatestDue(DateTimeOffset after, DateTimeOffset now)
    {
        if (NextAfter(after) is not { } candidate || candidate > now)
        {
            return null;
        }

        for (var window = TimeSpan.FromSeconds(1); now - window > candidate; window *= 2)
        {
            if (NextAfter(now - window) is { } recent && recent <= now)
            {
                candidate = recent;
                break;
            }
        }

        while (NextAfter(candidate) is { } next && next <= now)
        {
            candidate = next;
        }

        return candidate;
    }

    private static TimeZoneInfo? FindZone(string id, out JobSpecError? error)
    {
        if (NameRules.Check(id, TimeZoneLength) is { } text)
        {
            error = new JobSpecError("time_zone", text.Message, text.TooLarge);
            return null;
        }

        // An id names a file under the OS's zoneinfo directory: only the characters IANA ids use, and no way out of it.
        if (id.AsSpan().IndexOfAnyExcept(ZoneIdCharacters) >= 0 || id.StartsWith('/') || id.Contains("..", StringComparison.Ordinal))
        {
            error = new JobSpecError("time_zone", $"'{id}' is not an IANA time zone id (letters, digits and / _ - +, such as Europe/Berlin)");
            return null;
        }

        try
        {
            error = null;
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException or System.Security.SecurityException or IOException or UnauthorizedAccessException)
        {
            error = new JobSpecError("time_zone", $"'{id}' is not a time zone this server knows (use an IANA id such as Europe/Berlin)");
            return null;
        }
    }
}
