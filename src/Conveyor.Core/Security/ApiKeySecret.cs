using System.Security.Cryptography;
using System.Text;

namespace Conveyor.Core.Security;

/// <summary>
/// Makes and hashes API keys. A key is <c>cvk_</c> + 32 random bytes in base64url (256 bits), so one
/// unsalted-per-key SHA-256 is enough to store it: nobody can guess or brute-force such a key from its hash,
/// and a slow password hash (bcrypt, Argon2) would only cost time on every request.
/// </summary>
public static class ApiKeySecret
{
    /// <summary>The prefix of every key, so secret scanners and people recognise one.</summary>
    public const string Prefix = "cvk_";

    /// <summary>
    /// The salt the stored hash is computed with, which the Faktory listener also sends in its greeting when
    /// keys exist: a Faktory client's password proof is SHA-256(password + salt) hashed on, so the server can
    /// check a key's proof from its stored hash alone (docs/security.md).
    /// </summary>
    public const string FaktorySalt = "636f6e7665796f72";

    private const int IdLength = 12;

    /// <summary>A new random key, e.g. <c>cvk_3q2-7wE...</c> (47 characters).</summary>
    public static string NewKey() =>
        Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The public id of a key: its first characters.</summary>
    public static string IdOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Length <= IdLength ? key : key[..IdLength];
    }

    /// <summary>Lower-case hex SHA-256 of the key followed by <see cref="FaktorySalt"/>.</summary>
    public static string Hash(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key + FaktorySalt)));
    }
}
