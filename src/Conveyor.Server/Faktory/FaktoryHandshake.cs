using System.Buffers;
using System.Text;
using Conveyor.Protocol.Faktory;
using Conveyor.Protocol.Faktory.Wire;
using Conveyor.Broker.Workers;

namespace Conveyor.Server.Faktory;

/// <summary>
/// The greeting and the check of HELLO: protocol version, the password proof (in constant time) when a
/// password is set, and the worker's registration when it gave a <c>wid</c>.
/// </summary>
internal sealed class FaktoryHandshake(string? password)
{
    private readonly string salt = FaktoryPassword.NewSalt();
    private readonly int iterations = 4096 + Random.Shared.Next(4096);

    public void WriteGreeting(IBufferWriter<byte> output)
    {
        var greeting = password is null ? new FaktoryGreeting() : new FaktoryGreeting { I = iterations, S = salt };
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

        if (hello.V is { } v && v != 2)
        {
            return $"protocol version {v} is not supported; this server speaks 2";
        }

        if (password is not null && !FaktoryPassword.Verify(password, salt, iterations, hello.Pwdhash))
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
}
