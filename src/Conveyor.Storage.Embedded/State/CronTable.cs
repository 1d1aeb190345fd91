using Conveyor.Storage.Embedded.Events;

namespace Conveyor.Storage.Embedded.State;

/// <summary>The schedules, by ordinal name; changed only through <see cref="Apply"/> (live and on replay) and snapshot load.</summary>
internal sealed class CronTable
{
    private readonly SortedDictionary<string, CronEntry> entries = new(StringComparer.Ordinal);

    public int Count => entries.Count;

    public IEnumerable<CronEntry> All => entries.Values;

    public CronEntry? Find(string name) => entries.GetValueOrDefault(name);

    public void Apply(StoreEvent e)
    {
        switch (e)
        {
            case CronSaved x when entries.TryGetValue(x.Schedule.Name, out var existing):
                existing.Redefine(x.Schedule);
                existing.UpdatedAt = x.At;
                existing.Since = x.At;
                break;
            case CronSaved x:
                entries.Add(x.Schedule.Name, new CronEntry { Schedule = x.Schedule, CreatedAt = x.At, UpdatedAt = x.At, Since = x.At });
                break;
            case CronDeleted x:
                if (!entries.Remove(x.Name))
                {
                    throw new InvalidDataException($"an event deletes schedule '{x.Name}', which is not in the table");
                }

                break;
            case CronFired x:
                var entry = Find(x.Name) ?? throw new InvalidDataException($"an event fires schedule '{x.Name}', which is not in the table");
                entry.LastTick = x.Tick;
                entry.NextDue = 0;
                break;
        }
    }

    /// <summary>Adds a schedule read from a snapshot body.</summary>
    public void Restore(CronEntry entry)
    {
        if (!entries.TryAdd(entry.Schedule.Name, entry))
        {
            throw new InvalidDataException($"schedule '{entry.Schedule.Name}' is in the snapshot twice");
        }
    }
}
