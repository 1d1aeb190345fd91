using System.Globalization;

namespace Conveyor.Cli;

/// <summary>
/// Reads <c>--memory-budget</c>: bytes with an optional unit (B, KB, MB, GB, TB, binary multiples: 512MB is 512 × 2²⁰),
/// a percent of the memory limit the GC sees (<c>60%</c>), <c>none</c> for no budget, or empty for the default.
/// </summary>
internal static class MemoryBudgetText
{
    /// <summary>The budget in bytes (<see cref="long.MaxValue"/> for none, null for the default); false when unreadable.</summary>
    public static bool TryParse(string text, long limitBytes, out long? budget)
    {
        budget = null;
        var value = text.Trim();
        if (value.Length == 0)
        {
            return true;
        }

        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            budget = long.MaxValue;
            return true;
        }

        if (value.EndsWith('%'))
        {
            if (!double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) || percent is <= 0 or > 100)
            {
                return false;
            }

            budget = (long)(limitBytes * percent / 100);
            return true;
        }

        var digits = value.Length;
        while (digits > 0 && char.IsLetter(value[digits - 1]))
        {
            digits--;
        }

        var shift = value[digits..].ToUpperInvariant() switch
        {
            "" or "B" => 0,
            "K" or "KB" or "KIB" => 10,
            "M" or "MB" or "MIB" => 20,
            "G" or "GB" or "GIB" => 30,
            "T" or "TB" or "TIB" => 40,
            _ => -1,
        };
        if (shift < 0 || !double.TryParse(value[..digits], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount <= 0)
        {
            return false;
        }

        var bytes = amount * Math.Pow(2, shift);
        if (bytes >= long.MaxValue)
        {
            return false;
        }

        budget = (long)bytes;
        return true;
    }
}
