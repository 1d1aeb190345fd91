using System.Globalization;

namespace Conveyor.Cli.Output;

/// <summary>Columns aligned with spaces under an upper-case header, no borders: readable, and still easy to cut and grep.</summary>
internal sealed class TextTable
{
    private readonly List<string[]> rows = [];

    public TextTable(params string[] headers)
    {
        rows.Add(headers);
    }

    public void Add(params string[] cells) => rows.Add(cells);

    /// <summary>A time in UTC to the second, as the tables show it; <c>-</c> for none.</summary>
    public static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    public async Task WriteToAsync(TextWriter writer)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i])));
            await writer.WriteLineAsync(line.TrimEnd()).ConfigureAwait(false);
        }
    }
}
