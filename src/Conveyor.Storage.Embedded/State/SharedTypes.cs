namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// One string per job type, shared by every job of that type (a million jobs of three types hold three strings, not a
/// million). Past <see cref="MaxSharedTypes"/> distinct types, new ones are kept as given. A struct held in a field of
/// <see cref="JobTable"/> and changed in place: every enqueued job goes through it.
/// </summary>
internal struct SharedTypes()
{
    private const int MaxSharedTypes = 10_000;

    private readonly Dictionary<string, string> types = new(StringComparer.Ordinal);
    private string? lastType;
    private string? lastSharedType;

    public string Share(string type)
    {
        if (ReferenceEquals(type, lastType) || ReferenceEquals(type, lastSharedType))
        {
            return lastSharedType!;
        }

        if (types.TryGetValue(type, out var shared))
        {
            (lastType, lastSharedType) = (type, shared);
            return shared;
        }

        if (types.Count < MaxSharedTypes)
        {
            types.Add(type, type);
        }

        return type;
    }
}
