using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conveyor.Cli.Commands;

/// <summary>
/// <c>--ca-cert FILE</c> of the remote commands: the server's certificate must chain to a certificate in this PEM
/// file (a private CA) instead of the system's roots. The host name is still checked.
/// </summary>
internal static class TrustedAuthority
{
    /// <summary>A handler trusting the system roots (no file) or only the certificates in <paramref name="pemFile"/>.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read or holds no certificate.</exception>
    public static SocketsHttpHandler CreateHandler(string? pemFile)
    {
        var handler = new SocketsHttpHandler();
        if (string.IsNullOrEmpty(pemFile))
        {
            return handler;
        }

        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(pemFile);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException)
        {
            handler.Dispose();
            throw new InvalidDataException($"--ca-cert '{pemFile}' cannot be read as PEM certificates: {ex.Message}", ex);
        }

        if (roots.Count == 0)
        {
            handler.Dispose();
            throw new InvalidDataException($"--ca-cert '{pemFile}' holds no PEM certificate");
        }

        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(roots);
        handler.SslOptions.CertificateChainPolicy = policy;
        return handler;
    }
}
