using System.Collections.Frozen;
using Conveyor.Server.Faktory.Verbs;

namespace Conveyor.Server.Faktory;

/// <summary>The one table from Faktory verb to command. HI/HELLO are the handshake, not commands.</summary>
internal static class FaktoryVerbTable
{
    public static FrozenDictionary<string, IFaktoryVerb> Verbs { get; } = new Dictionary<string, IFaktoryVerb>(StringComparer.Ordinal)
    {
        ["PUSH"] = new PushVerb(),
        ["PUSHB"] = new PushBatchVerb(),
        ["FETCH"] = new FetchVerb(),
        ["ACK"] = new AckVerb(),
        ["FAIL"] = new FailVerb(),
        ["BEAT"] = new BeatVerb(),
        ["INFO"] = new InfoVerb(),
        ["FLUSH"] = new FlushVerb(),
        ["QUEUE"] = new QueueVerb(),
        ["MUTATE"] = new MutateVerb(),
        ["END"] = new EndVerb(),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
