using System.CommandLine;

namespace Conveyor.Cli.Commands;

/// <summary><c>serve</c>'s security options (docs/security.md), kept apart from the storage and port options.</summary>
internal static class SecurityOptions
{
    public static (Option<bool> Insecure, Option<string> AllowedHosts) AddTo(Command serve)
    {
        var insecure = EnvironmentOption.Boolean("--insecure", "Serve without API keys on an address other than loopback (warned on every start)", false);
        var allowedHosts = EnvironmentOption.Text("--allowed-hosts", "Comma-separated Host names to answer to besides loopback and the bind address", "");
        serve.Options.Add(insecure);
        serve.Options.Add(allowedHosts);
        return (insecure, allowedHosts);
    }
}
