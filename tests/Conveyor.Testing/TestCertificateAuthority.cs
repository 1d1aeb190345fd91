using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Conveyor.Testing;

/// <summary>
/// A throw-away CA and a server certificate it signed for 127.0.0.1, ::1 and localhost, made at test time and
/// written as PEM files (<c>ca.pem</c>, <c>server.pem</c>, <c>server.key</c>) into a directory.
/// </summary>
public sealed class TestCertificateAuthority
{
    private TestCertificateAuthority(string directory)
    {
        CaPath = Path.Combine(directory, "ca.pem");
        CertificatePath = Path.Combine(directory, "server.pem");
        KeyPath = Path.Combine(directory, "server.key");
    }

    /// <summary>The CA certificate (PEM): what clients trust.</summary>
    public string CaPath { get; }

    /// <summary>The server certificate (PEM): <c>--tls-cert</c>.</summary>
    public string CertificatePath { get; }

    /// <summary>The server's private key (PKCS#8 PEM): <c>--tls-key</c>.</summary>
    public string KeyPath { get; }

    /// <summary>Makes the CA and the server certificate (valid from an hour ago for a day) and writes the three files.</summary>
    public static TestCertificateAuthority Create(string directory)
    {
        var files = new TestCertificateAuthority(directory);
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Conveyor Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(now.AddHours(-1), now.AddDays(1));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false)); // serverAuth
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using var server = request.Create(ca, now.AddHours(-1), now.AddDays(1), RandomNumberGenerator.GetBytes(16));

        File.WriteAllText(files.CaPath, ca.ExportCertificatePem());
        File.WriteAllText(files.CertificatePath, server.ExportCertificatePem());
        File.WriteAllText(files.KeyPath, serverKey.ExportPkcs8PrivateKeyPem());
        return files;
    }

    /// <summary>A chain policy that trusts this CA only (for <c>SslStream</c>; the host name is checked apart from it).</summary>
    public X509ChainPolicy CreateChainPolicy()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificateFromFile(CaPath));
        return policy;
    }

    /// <summary>An HTTP handler that trusts this CA only (the host name is still checked).</summary>
    public SocketsHttpHandler CreateHandler()
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.CertificateChainPolicy = CreateChainPolicy();
        return handler;
    }
}
