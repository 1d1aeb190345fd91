using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Conveyor.Broker.Workers;
using Conveyor.Core.Security;
using Conveyor.Protocol.Faktory;
using Conveyor.Protocol.Faktory.Wire;
using Conveyor.Server.Security;

namespace Conveyor.Server.Faktory;

/// <summary>
/// The greeting and the check of HELLO: protocol version, the password proof (in constant time) when a
/// password is set, and the worker's registration when it gave a <c>wid</c>. When API keys exist, a key with
/// <c>produce</c> and <c>work</c> is a password too: the greeting then carries <see cref="ApiKeySecret.FaktorySalt"/>,
/// the salt the keys' stored hashes were made with, so a proof is checked by hashing a stored hash on.
/// </summary>
internal sealed class FaktoryHandshake(string? password, ApiKeyRegistry keys, bool refuseWithoutKeys)
{
    private readonly bool useKeys = keys.HasKeys;
    private readonly string salt = keys.HasKeys ? ApiKeySecret.FaktorySalt : FaktoryPassword.NewSalt();
    private readonly int iterations = 4096 + Random.Shared.Next(4096);

    public void WriteGreeting(IBufferWriter<byte> output)
    {
        var greeting = password is null && !useKeys ? new FaktoryGreeting() : new FaktoryGreeting { I = iterations, S = salt };
        FaktoryReplyWriter.WriteSimple(output, "HI " + Encoding.UTF8.GetString(FaktoryJson.Write(greeting, FaktoryJson.Context.FaktoryGreeting)));
    }

    /// <summary>Checks the client's first line; returns the error to answer (then close), or null when it may proceed.</summary>
    public string? Accept(FaktoryCommandLine line, FaktorySession session, WorkerRegistry workers)
    {
        if (line.Verb != "HELLO")
        {
            return "expected HELLO";
        }

        FaktoryHello hello;
        try
        {
            hello = FaktoryJson.Read(line.Payload, FaktoryJson.Context.FaktoryHello, "HELLO");
        }
        catch (FaktoryVerbException ex)
        {
            return ex.Message;
        }

        if (FaktoryFieldBounds.Check(hello) is { } bound)
        {
            return bound;
        }

        if (hello.V is { } v && v != 2)
        {
            return $"protocol version {v} is not supported; this server speaks 2";
        }

        if (refuseWithoutKeys && password is null && !useKeys)
        {
            return "no API key exists and this server listens beyond loopback; create one with `conveyor keys create`";
        }

        if ((password is not null || useKeys) && !ProvesPassword(hello.Pwdhash) && !ProvesKey(hello.Pwdhash))
        {
            return "Invalid password";
        }

        if (!string.IsNullOrEmpty(hello.Wid))
        {
            session.Wid = hello.Wid;
            workers.Register(hello.Wid, hello.Hostname, hello.Pid, hello.Labels ?? []);
        }

        return null;
    }

    private bool ProvesPassword(string? proof) => password is not null && FaktoryPassword.Verify(password, salt, iterations, proof);

    /// <summary>The proof is SHA-256(key + salt) hashed <c>iterations - 1</c> more times, and the stored hash is the first step.</summary>
    private bool ProvesKey(string? proof)
    {
        if (!useKeys || proof is null || proof.Length != 64)
        {
            return false;
        }

        var given = Encoding.ASCII.GetBytes(proof.ToLowerInvariant());
        foreach (var key in keys.Keys.Where(k => k.Scopes.Grants(ApiScope.Produce | ApiScope.Work)))
        {
            var digest = Convert.FromHexString(key.Hash);
            for (var i = 1; i < iterations; i++)
            {
                digest = SHA256.HashData(digest);
            }

            if (CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(digest)), given))
            {
                keys.RecordUse(key);
                return true;
            }
        }

        return false;
    }
}
