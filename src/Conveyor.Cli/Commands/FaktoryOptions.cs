using System.CommandLine;
using Conveyor.Server;

namespace Conveyor.Cli.Commands;

/// <summary><c>serve</c>'s Faktory listener bounds (docs/operations.md, docs/faktory-protocol.md "Limits").</summary>
internal static class FaktoryOptions
{
    /// <summary>Adds the options to <paramref name="serve"/>; the function reads them into the server's limits.</summary>
    public static Func<ParseResult, FaktoryLimits> AddTo(Command serve)
    {
        var defaults = new FaktoryLimits();
        var maxConnections = EnvironmentOption.Integer(
            "--faktory-max-connections", "Open Faktory connections past which a new one is refused (-ERR too many connections)", defaults.MaxConnections);
        var idleSeconds = EnvironmentOption.Integer(
            "--faktory-idle-timeout-seconds", "Seconds a Faktory connection may send nothing after HELLO before it is closed", (int)defaults.IdleTimeout.TotalSeconds);
        var handshakeSeconds = EnvironmentOption.Integer(
            "--faktory-handshake-timeout-seconds", "Seconds a new Faktory connection has to send HELLO", (int)defaults.HandshakeTimeout.TotalSeconds);
        var maxLineMib = EnvironmentOption.Integer(
            "--faktory-max-line-mib", "The longest Faktory command line in MiB (a larger PUSH or PUSHB is refused and the connection closed)", defaults.MaxLineBytes >> 20);
        serve.Options.Add(maxConnections);
        serve.Options.Add(idleSeconds);
        serve.Options.Add(handshakeSeconds);
        serve.Options.Add(maxLineMib);
        return parse => new FaktoryLimits
        {
            MaxConnections = parse.GetValue(maxConnections),
            IdleTimeout = TimeSpan.FromSeconds(parse.GetValue(idleSeconds)),
            HandshakeTimeout = TimeSpan.FromSeconds(parse.GetValue(handshakeSeconds)),
            MaxLineBytes = parse.GetValue(maxLineMib) is var mib and > 0 and < 1024 ? mib << 20 : 0,
        };
    }
}
