using Npgsql;

namespace Conveyor.Client.Postgres;

/// <summary>
/// Names one Conveyor installation in a database: its schema (quoted) and the channel its NOTIFYs and LISTENs use, and
/// puts them into SQL templates.
/// </summary>
internal sealed partial class SchemaSql(string schema)
{
    /// <summary>The schema, quoted as an identifier.</summary>
    public string Schema { get; } = "\"" + schema + "\"";

    /// <summary>The channel NOTIFY and LISTEN use: one per schema.</summary>
    public string Channel { get; } = "conveyor_" + schema;

    /// <summary>
    /// Whether <paramref name="schema"/> is a name Conveyor accepts: lower-case letters, digits and underscores, not
    /// starting with a digit, at most 50 characters (it is put into SQL as a quoted identifier).
    /// </summary>
    public static bool IsPlainName(string schema) => PlainName().IsMatch(schema);

    /// <summary>A template with <c>{s}</c> standing for the schema and <c>{c}</c> for the channel (a string literal).</summary>
    public string Sql(string template) =>
        template.Replace("{s}", Schema, StringComparison.Ordinal).Replace("{c}", "'" + Channel + "'", StringComparison.Ordinal);

    public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction? transaction, string template) =>
        new(Sql(template), connection, transaction);

    public NpgsqlBatchCommand BatchCommand(string template) => new(Sql(template));

    /// <summary>A statement that sends one NOTIFY per queue of <c>$2</c> on the channel <c>$1</c> (on commit, inside a transaction).</summary>
    public NpgsqlBatchCommand NotifyCommand(IReadOnlyCollection<string> queues) =>
        BatchCommand("SELECT pg_notify($1, q) FROM unnest($2::text[]) q").With(Channel).With(queues.ToArray());

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z_][a-z0-9_]{0,49}$")]
    private static partial System.Text.RegularExpressions.Regex PlainName();
}
