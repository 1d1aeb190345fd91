namespace Conveyor.Server.Security;

/// <summary>
/// Redis-style protected mode: without API keys the server answers only on loopback. Exactly
/// <c>127.0.0.1</c>, <c>::1</c> and <c>localhost</c> count as loopback; any other bind address (even
/// <c>127.0.0.2</c>) is treated as exposed.
/// </summary>
internal sealed class ProtectedMode(bool exposed, bool insecure)
{
    /// <summary>Bound to an address other than the loopback defaults.</summary>
    public bool Exposed { get; } = exposed;

    /// <summary><c>--insecure</c>: serve without keys even when exposed.</summary>
    public bool Insecure { get; } = insecure;

    /// <summary>Without keys, calls are refused: exposed and not <c>--insecure</c> (the keys were all revoked while serving).</summary>
    public bool RefusesWithoutKeys => Exposed && !Insecure;

    public static bool IsLoopback(string bindAddress) =>
        bindAddress is "127.0.0.1" or "::1" || string.Equals(bindAddress, "localhost", StringComparison.OrdinalIgnoreCase);

    public static string HowToCreateKey(string dataDirectory) =>
        $"conveyor keys create --scope admin --name ops --data {dataDirectory}";

    /// <summary>The one message <c>conveyor serve</c> prints when it refuses to start.</summary>
    public static string RefusalMessage(string bindAddress, string dataDirectory) =>
        $"refusing to listen on {bindAddress} without API keys: anyone who can reach it could enqueue, read and delete jobs. " +
        $"Create a key first with `{HowToCreateKey(dataDirectory)}` (clients then send it as `Authorization: Bearer KEY`), " +
        "bind to 127.0.0.1, or pass --insecure to serve without authentication.";
}
