namespace Conveyor.Server.Faktory;

/// <summary>
/// The worker id a Faktory FETCH records on its lease: <c>faktory:</c> and the connection's wid (nothing after the
/// colon for a connection without one). ACK and FAIL settle only a lease recorded under their own holder, so a job
/// leased over HTTP, or to another wid, stays with its holder; every connection of one wid shares the holder. HTTP
/// workers may not name themselves with the prefix.
/// </summary>
internal static class FaktoryLeaseHolder
{
    public const string Prefix = "faktory:";

    public static string For(string? wid) => Prefix + wid;

    public static bool IsReserved(string? workerId) => workerId is not null && workerId.StartsWith(Prefix, StringComparison.Ordinal);
}
