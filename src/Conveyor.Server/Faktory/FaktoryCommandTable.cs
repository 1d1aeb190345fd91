using System.Collections.Frozen;
using Conveyor.Server.Faktory.Commands;

namespace Conveyor.Server.Faktory;

/// <summary>The one table from Faktory verb to command. HI/HELLO are the handshake, not commands.</summary>
internal static class FaktoryCommandTable
{
    public static FrozenDictionary<string, IFaktoryCommand> Commands { get; } = new Dictionary<string, IFaktoryCommand>(StringComparer.Ordinal)
    {
        ["PUSH"] = new PushCommand(),
        ["PUSHB"] = new PushBatchCommand(),
        ["FETCH"] = new FetchCommand(),
        ["ACK"] = new AckCommand(),
        ["FAIL"] = new FailCommand(),
        ["BEAT"] = new BeatCommand(),
        ["INFO"] = new InfoCommand(),
        ["FLUSH"] = new FlushCommand(),
        ["QUEUE"] = new QueueCommand(),
        ["MUTATE"] = new MutateCommand(),
        ["END"] = new EndCommand(),
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
