using System.Security.Cryptography;
using System.Text;

namespace Conveyor.Protocol.Faktory;

/// <summary>
/// Faktory's password proof: SHA-256 of password + salt, hashed again <c>iterations - 1</c> more times over
/// the raw digest, sent as lower-case hex in HELLO's <c>pwdhash</c>.
/// </summary>
public static class FaktoryPassword
{
    /// <summary>The hex proof for <paramref name="password"/>.</summary>
    public static string Hash(string password, string salt, int iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(iterations);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password + salt));
        for (var i = 1; i < iterations; i++)
        {
            digest = SHA256.HashData(digest);
        }

        return Convert.ToHexStringLower(digest);
    }

    /// <summary>True when <paramref name="proof"/> is the hash of the password; compared in constant time.</summary>
    public static bool Verify(string password, string salt, int iterations, string? proof)
    {
        var expected = Encoding.ASCII.GetBytes(Hash(password, salt, iterations));
        var given = Encoding.UTF8.GetBytes((proof ?? "").ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, given);
    }

    /// <summary>A fresh random salt (hex) for a greeting.</summary>
    public static string NewSalt() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
}
