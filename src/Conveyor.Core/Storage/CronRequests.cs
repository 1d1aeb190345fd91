using Conveyor.Core.Cron;

namespace Conveyor.Core.Storage;

/// <summary>Create a schedule, or replace the one of the same name (its last tick is kept, so a tick never fires twice).</summary>
public sealed record CronSave(CronSchedule Schedule);

/// <summary>Delete a schedule; jobs it enqueued stay.</summary>
public sealed record CronDelete(string Name);

/// <summary>Read one schedule.</summary>
public sealed record CronGet(string Name);

/// <summary>Pause (<paramref name="Paused"/> true) or resume a schedule. Ticks that pass while it is paused never fire.</summary>
public sealed record CronPause(string Name, bool Paused);

/// <summary>
/// Fire every due schedule, up to <paramref name="Max"/> of them, each in one atomic write that enqueues its tick's job and
/// records the tick (<see cref="CronDue"/> decides the tick).
/// </summary>
public sealed record CronFireDue(int Max);
