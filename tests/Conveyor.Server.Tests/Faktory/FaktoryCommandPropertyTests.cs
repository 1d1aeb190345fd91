using CsCheck;

namespace Conveyor.Server.Tests.Faktory;

/// <summary>
/// A CsCheck property of the Faktory command handlers (bench/fuzz target faktory) over a real socket: any sequence of
/// commands with odd or broken JSON gets a reply to each line, never <c>-ERR internal error</c>, and the connection
/// stays open. FETCH names a queue filled beforehand that no other command touches, so it never waits.
/// </summary>
public sealed class FaktoryCommandPropertyTests
{
    private const string Full = "full";

    private static readonly Gen<string> Value = Gen.OneOf(
        "null", "-1", "0", "1e400", "99999999999999999999", "true", "\"\"", "\"x\"", "\"\\u0000\"", "\"\u00e9\u4e2d\"", "[]", "{}", "[null]", "[1,\"a\"]", "{\"k\":\"v\"}");

    private static readonly Gen<string> Jid = Gen.OneOf(Gen.OneOf("\"a\"", "\"b\"", "\"bad id\"", "\"" + new string('j', 80) + "\""), Value);

    private static readonly Gen<string> Job =
        from jid in Jid
        from type in Gen.OneOf(Gen.Const("\"t\""), Value)
        from args in Gen.OneOf(Gen.Const("[1]"), Value)
        from extra in Gen.OneOf("queue", "priority", "retry", "reserve_for", "at", "custom", "backtrace", "dead").SelectMany(k => Value.Select(v => $",\"{k}\":{v}"))
        select $"{{\"jid\":{jid},\"jobtype\":{type},\"args\":{args}{extra}}}";

    private static readonly Gen<string> Line = Gen.OneOf(
        Job.Select(j => "PUSH " + j),
        Gen.Select(Job, Gen.OneOf(Job, Value)).Select((a, b) => $"PUSHB [{a},{b}]"),
        Jid.Select(j => $"ACK {{\"jid\":{j}}}"),
        Gen.Select(Jid, Value, Value).Select((j, type, message) => $"FAIL {{\"jid\":{j},\"errtype\":{type},\"message\":{message},\"backtrace\":[{message}]}}"),
        Value.Select(w => $"BEAT {{\"wid\":{w}}}"),
        Gen.Const("FETCH " + Full),
        Gen.Const("INFO"),
        Gen.OneOf("PAUSE", "RESUME", "REMOVE", "LIST", "").SelectMany(verb => Gen.OneOf("q1", Full + "x", "", "q? q*").Select(q => $"QUEUE {verb} {q}")),
        Gen.Select(Gen.OneOf("kill", "discard", "requeue", "clear", "x"), Gen.OneOf("retries", "scheduled", "dead", "x"), Gen.OneOf("\"*\"", "\"[\"", "\"(a+)+$\"", "null", "1"))
            .Select((cmd, target, pattern) => $"MUTATE {{\"cmd\":\"{cmd}\",\"target\":\"{target}\",\"filter\":{{\"jobtype\":\"t\",\"regexp\":{pattern}}}}}"),
        Gen.Char["{}[]\":,ab1 \\"].Array[0, 40].Select(c => "PUSH " + new string(c)));

    /// <summary>
    /// A line, maybe with one character changed or the end cut off (never a line break, which would make two lines); never
    /// a FETCH, which on another queue would wait its 2 s.
    /// </summary>
    private static readonly Gen<string> Mutated = Gen.Select(Line, Gen.Int[0, 5], Gen.Int[0, 1000], Gen.Char["{}[]\":,\\x0"])
        .Select((line, how, at, c) => line.StartsWith("FETCH", StringComparison.Ordinal) ? line : how switch
        {
            0 => line[..Math.Min(line.Length, 6 + (at % Math.Max(1, line.Length - 6)))],
            1 => line[..(at % line.Length)] + c + line[((at % line.Length) + 1)..],
            _ => line,
        });

    [Fact]
    public async Task Commands_RandomAndBrokenLines_NeverAnInternalErrorAndTheConnectionStays()
    {
        var (server, port) = await FaktoryServer.StartAsync();
        await using (server)
        {
            await using (var filler = await RawFaktoryClient.OpenAsync(port))
            {
                var jobs = string.Join(',', Enumerable.Range(0, 1_000).Select(i => $"{{\"jobtype\":\"t\",\"args\":[{i}],\"queue\":\"{Full}\"}}"));
                Assert.Equal("{}", await filler.SendAsync($"PUSHB [{jobs}]")); // no job refused
            }

            await Mutated.Array[1, 6].SampleAsync(async lines =>
            {
                await using var client = await RawFaktoryClient.OpenAsync(port);
                foreach (var line in lines)
                {
                    var reply = await client.SendAsync(line);
                    Assert.False(reply is not null && reply.Contains("internal error", StringComparison.Ordinal), $"{line} → {reply}");
                }

                Assert.NotNull(await client.SendAsync("INFO"));
            }, iter: 150, threads: 1, print: lines => string.Join(" | ", lines));
        }
    }
}
