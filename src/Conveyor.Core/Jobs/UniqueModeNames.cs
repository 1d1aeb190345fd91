namespace Conveyor.Core.Jobs;

/// <summary>The wire names of <see cref="UniqueMode"/> (<c>unique_until</c>): <c>finished</c>, <c>started</c>, <c>completed</c>.</summary>
public static class UniqueModeNames
{
    /// <summary>The wire name of <paramref name="mode"/>.</summary>
    public static string Name(UniqueMode mode) => mode switch
    {
        UniqueMode.UntilStarted => "started",
        UniqueMode.UntilCompleted => "completed",
        _ => "finished",
    };

    /// <summary>The mode named <paramref name="name"/> (null: the default); false for an unknown name.</summary>
    public static bool TryParse(string? name, out UniqueMode mode)
    {
        (var known, mode) = name switch
        {
            null or "finished" => (true, UniqueMode.UntilFinished),
            "started" => (true, UniqueMode.UntilStarted),
            "completed" => (true, UniqueMode.UntilCompleted),
            _ => (false, UniqueMode.UntilFinished),
        };
        return known;
    }
}
