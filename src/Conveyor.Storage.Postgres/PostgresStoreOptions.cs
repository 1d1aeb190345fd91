namespace Conveyor.Storage.Postgres;

/// <summary>Where the PostgreSQL store keeps its tables and how it watches for work.</summary>
public sealed record PostgresStoreOptions
{
    /// <summary>The Npgsql connection string (<c>Host=...;Database=...;Username=...</c>).</summary>
    public required string ConnectionString { get; init; }

    /// <summary>
    /// The schema holding the store's tables (created if missing): several installations, or one per test, share a
    /// database under different schemas. Lower-case letters, digits and underscores, at most 63 characters.
    /// </summary>
    public string Schema { get; init; } = DefaultSchema;

    /// <summary>The schema used when none is named.</summary>
    public const string DefaultSchema = "conveyor";

    /// <summary>
    /// Whether <paramref name="schema"/> is a name the store accepts: lower-case letters, digits and underscores, not
    /// starting with a digit, at most 50 characters (it is put into SQL as a quoted identifier).
    /// </summary>
    public static bool IsValidSchema(string schema) => PostgresJobStore.IsPlainSchemaName(schema);

    /// <summary>
    /// How often waiting fetches look again without a wake-up (the fallback when a notification is lost, or jobs come
    /// due on another node's clock).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the leader holds its lease (by the database's clock) past each renewal: a dead leader is replaced within
    /// this plus <see cref="LeaderRenewInterval"/>. The leader itself stops acting a fifth of it earlier (its trust window).
    /// </summary>
    public TimeSpan LeaderLease { get; init; } = DefaultLeaderLease;

    /// <summary>The leader lease used when none is set.</summary>
    public static TimeSpan DefaultLeaderLease { get; } = TimeSpan.FromSeconds(10);

    /// <summary>How often every node tries the leader lease (the leader renews it, the others take it once it expired); a third of <see cref="LeaderLease"/> when unset.</summary>
    public TimeSpan? LeaderRenewInterval { get; init; }

    /// <summary>
    /// At most one NOTIFY for new jobs per queue per this long from this node: the first enqueue of an interval notifies
    /// in its transaction, and the enqueues the limit holds back get one trailing NOTIFY at the end of the interval, so a
    /// waiting fetch never misses the last of them. Zero notifies every enqueue.
    /// </summary>
    public TimeSpan NotifyInterval { get; init; } = TimeSpan.FromMilliseconds(5);
}
