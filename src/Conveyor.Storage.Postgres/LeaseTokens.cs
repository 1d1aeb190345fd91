using System.Globalization;

namespace Conveyor.Storage.Postgres;

/// <summary>Lease tokens are numbers from one sequence (never reused); on the wire they are its decimal text.</summary>
internal static class LeaseTokens
{
    public static string Text(long token) => token.ToString(CultureInfo.InvariantCulture);

    /// <summary>The token's number; -1 (which no lease has) for text that is not one.</summary>
    public static long Parse(string? token) =>
        long.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : -1;
}
