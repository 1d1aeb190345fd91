using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Conveyor.Server.Tls;

/// <summary>
/// The server's TLS certificate, read once at start from PEM files: the first certificate of the certificate
/// file is the server's own and any after it (a <c>fullchain.pem</c>) are the intermediates sent with it. Both
/// ports use it: HTTPS on the HTTP port (HTTP/1.1 and HTTP/2 by ALPN), TLS on the Faktory port.
/// </summary>
internal sealed class ServerCertificate
{
    private ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection chain)
    {
        Certificate = certificate;
        Chain = chain;
    }

    public X509Certificate2 Certificate { get; }

    public X509Certificate2Collection Chain { get; }

    /// <summary>Loads the pair; a missing, unreadable or mismatched file is a <see cref="ServerConfigurationException"/> naming the files, never their content.</summary>
    public static ServerCertificate Load(string certificatePath, string keyPath)
    {
        X509Certificate2 certificate;
        var chain = new X509Certificate2Collection();
        try
        {
            certificate = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            chain.ImportFromPemFile(certificatePath);
        }
        catch (Exception ex) when (ex is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new ServerConfigurationException(
                $"cannot load the TLS certificate '{certificatePath}' with the key '{keyPath}' (PEM files expected): {ex.Message}");
        }

        if (chain.Count > 0)
        {
            chain.RemoveAt(0); // the server's own certificate; the rest are intermediates
        }

        return new ServerCertificate(certificate, chain);
    }

    /// <summary>What Kestrel's TLS layer uses: this certificate with its intermediates, TLS 1.2 or newer only.</summary>
    public HttpsConnectionAdapterOptions ToHttpsOptions() => new()
    {
        ServerCertificate = Certificate,
        ServerCertificateChain = Chain,
        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
    };
}
