using Conveyor.Protocol.Faktory;

namespace Conveyor.Server;

/// <summary>The Faktory listener's bounds (docs/faktory-protocol.md, "Limits"); the <c>--faktory-*</c> options of <c>conveyor serve</c>.</summary>
public sealed class FaktoryLimits
{
    /// <summary>Faktory's own connection cap.</summary>
    public const int DefaultMaxConnections = 2000;

    /// <summary>The longest HELLO line: its fields are bounded far below this, and nothing unauthenticated may make the server buffer more.</summary>
    public const int HelloLineBytes = 64 * 1024;

    /// <summary>Open connections past which a new one is answered <c>-ERR too many connections</c> and closed.</summary>
    public int MaxConnections { get; set; } = DefaultMaxConnections;

    /// <summary>How long a new connection has to send HELLO (Faktory allows 2 s; more here for slow TLS or loaded hosts).</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a connection past HELLO may send nothing before it is closed. Workers BEAT every 15 s and producers
    /// reconnect, so five minutes is twenty missed beats: only a dead or abandoned peer reaches it. A command that is
    /// running (a FETCH waiting for a job) is not idle time.
    /// </summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest command line: above the largest job the HTTP side accepts (1 MiB of args), with room for a PUSHB batch.</summary>
    public int MaxLineBytes { get; set; } = FaktoryParser.DefaultMaxLineBytes;
}
