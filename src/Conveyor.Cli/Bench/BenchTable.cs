using System.Globalization;
using Spectre.Console;

namespace Conveyor.Cli.Bench;

/// <summary>Renders a <see cref="BenchReport"/> as two Spectre tables: the phases, then the derived figures.</summary>
internal static class BenchTable
{
    public static void Write(IAnsiConsole console, BenchReport report)
    {
        console.MarkupLine($"[bold]{Markup.Escape(report.Command)}[/]");
        console.MarkupLine($"machine: {Markup.Escape(report.Machine)}");
        console.MarkupLine($"server:  {Markup.Escape(report.Server)}");

        var rows = new Table().Border(TableBorder.Rounded);
        foreach (var column in (string[])["phase", "jobs", "s", "jobs/s", "latency of", "p50 ms", "p99 ms", "p99.9 ms", "server RSS", "server CPU", "client CPU", "note"])
        {
            rows.AddColumn(new TableColumn(column) { Alignment = column is "phase" or "latency of" or "note" ? Justify.Left : Justify.Right });
        }

        foreach (var row in report.Rows)
        {
            rows.AddRow(
                Markup.Escape(row.Name),
                Number(row.Jobs, "N0"),
                Number(row.Seconds, "F2"),
                Number(row.JobsPerSecond, "N0"),
                Markup.Escape(row.Latency ?? ""),
                Number(row.P50Ms, "F2"),
                Number(row.P99Ms, "F2"),
                Number(row.P999Ms, "F2"),
                row.ServerRssBytes is { } rss ? Number(rss / 1048576.0, "N0") + " MiB" : "n/a",
                Number(row.ServerCpuPercent, "F0") + (row.ServerCpuPercent is null ? "" : " %"),
                Number(row.ClientCpuPercent, "F0") + (row.ClientCpuPercent is null ? "" : " %"),
                Markup.Escape(row.Note ?? ""));
        }

        console.Write(rows);
        WriteServerCounters(console, report.Rows);
        if (report.Figures.Count == 0)
        {
            return;
        }

        var figures = new Table().Border(TableBorder.Rounded).AddColumn("figure").AddColumn(new TableColumn("value") { Alignment = Justify.Right }).AddColumn("unit");
        foreach (var figure in report.Figures)
        {
            figures.AddRow(Markup.Escape(figure.Name), Number(figure.Value, figure.Value < 100 ? "N2" : "N0"), Markup.Escape(figure.Unit));
        }

        console.Write(figures);
    }

    /// <summary>What the server counted in each phase (<c>GET /v1/stats</c>): how many jobs shared a WAL fsync, what its GC cost, and whether its JIT was still compiling.</summary>
    private static void WriteServerCounters(IAnsiConsole console, IReadOnlyList<BenchRow> rows)
    {
        var counted = rows.Where(r => r.ServerFlushes is not null || r.ServerGcPauseMs is not null).ToList();
        if (counted.Count == 0)
        {
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("phase (server's GET /v1/stats)");
        foreach (var column in (string[])["WAL flushes", "fsyncs", "jobs per fsync", "GC pause ms", "gen2 GCs", "allocated per job", "JIT methods"])
        {
            table.AddColumn(new TableColumn(column) { Alignment = Justify.Right });
        }

        foreach (var row in counted)
        {
            table.AddRow(
                Markup.Escape(row.Name),
                Number(row.ServerFlushes, "N0"),
                Number(row.ServerFsyncs, "N0"),
                Number(row.ServerFsyncs is > 0 and { } fsyncs ? row.Jobs / (double)fsyncs : null, "N1"),
                Number(row.ServerGcPauseMs, "N0"),
                Number(row.ServerGen2Collections, "N0"),
                row.ServerAllocatedBytes is { } bytes && row.Jobs > 0 ? Number(bytes / (double)row.Jobs, "N0") + " B" : "n/a",
                Number(row.ServerJitMethods, "N0"));
        }

        console.Write(table);
    }

    private static string Number(double? value, string format) =>
        value is { } v && double.IsFinite(v) ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
