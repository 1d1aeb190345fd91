using System.CommandLine;
using Conveyor.Server;

namespace Conveyor.Cli.Commands;

/// <summary>
/// <c>serve</c>'s security options (docs/security.md), kept apart from the storage and port options. Every secret
/// can come from a file or the environment, so none has to be on the command line where <c>ps</c> shows it.
/// </summary>
internal sealed class SecurityOptions
{
    private readonly Option<bool> insecure = EnvironmentOption.Boolean("--insecure", "Serve without API keys on an address other than loopback (warned on every start)", false);
    private readonly Option<string> allowedHosts = EnvironmentOption.Text("--allowed-hosts", "Comma-separated Host names to answer to besides loopback and the bind address", "");
    private readonly Option<string> tlsCert = EnvironmentOption.Text("--tls-cert", "PEM certificate file (intermediates after it): HTTPS on the HTTP port, TLS on the Faktory port; needs --tls-key", "");
    private readonly Option<string> tlsKey = EnvironmentOption.Text("--tls-key", "PEM private key file of --tls-cert", "");
    private readonly Option<string> faktoryPassword = EnvironmentOption.Text(
        "--faktory-password", "The password Faktory clients must prove (none by default); prefer --faktory-password-file or the variable, which ps does not show", "");
    private readonly Option<string> faktoryPasswordFile = EnvironmentOption.Text("--faktory-password-file", "A file holding the Faktory password (one line)", "");

    private SecurityOptions()
    {
    }

    public static SecurityOptions AddTo(Command serve)
    {
        var options = new SecurityOptions();
        foreach (var option in (Option[])[options.insecure, options.allowedHosts, options.tlsCert, options.tlsKey, options.faktoryPassword, options.faktoryPasswordFile])
        {
            serve.Options.Add(option);
        }

        return options;
    }

    /// <summary>Sets the security settings on <paramref name="server"/>; returns why they cannot be used, or null.</summary>
    public async Task<string?> ApplyAsync(ParseResult parse, ConveyorServerOptions server, TextWriter error, CancellationToken cancellationToken)
    {
        server.Insecure = parse.GetValue(insecure);
        server.AllowedHosts = parse.GetValue(allowedHosts)!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        server.TlsCertificatePath = NullIfEmpty(parse.GetValue(tlsCert));
        server.TlsKeyPath = NullIfEmpty(parse.GetValue(tlsKey));

        var password = NullIfEmpty(parse.GetValue(faktoryPassword));
        var passwordFile = NullIfEmpty(parse.GetValue(faktoryPasswordFile));
        if (password is not null && passwordFile is not null)
        {
            return "give the Faktory password once: --faktory-password (or CONVEYOR_FAKTORY_PASSWORD) or --faktory-password-file, not both";
        }

        if (password is not null && parse.GetResult(faktoryPassword) is { Implicit: false })
        {
            // As redis-cli does for -a: the value works, but every local user can read it in ps.
            await error.WriteLineAsync(
                "conveyor serve: warning: a password on the command line is visible to every local user (ps); use --faktory-password-file or CONVEYOR_FAKTORY_PASSWORD").ConfigureAwait(false);
        }

        if (passwordFile is not null)
        {
            try
            {
                password = (await File.ReadAllTextAsync(passwordFile, cancellationToken).ConfigureAwait(false)).TrimEnd('\r', '\n');
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return $"cannot read the Faktory password file '{passwordFile}': {ex.Message}";
            }

            if (password.Length == 0)
            {
                return $"the Faktory password file '{passwordFile}' is empty";
            }
        }

        server.FaktoryPassword = password;
        return null;
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
