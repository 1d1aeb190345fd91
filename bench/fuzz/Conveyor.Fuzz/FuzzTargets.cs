using Conveyor.Fuzz.Targets;

namespace Conveyor.Fuzz;

/// <summary>Every fuzz target, by the name <c>run.sh</c> takes.</summary>
internal static class FuzzTargets
{
    public static IReadOnlyList<IFuzzTarget> All { get; } =
    [
        new HttpEnqueueTarget(),
        new HttpSettleTarget(),
        new HttpFetchTarget(),
        new FaktoryParserTarget(),
        new FaktoryCommandsTarget(),
        new WalTarget(),
        new SnapshotTarget(),
        new ClientResponsesTarget(),
    ];

    public static IFuzzTarget? Find(string name) => All.FirstOrDefault(t => t.Name == name);
}
