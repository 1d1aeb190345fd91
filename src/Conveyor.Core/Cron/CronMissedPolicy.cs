namespace Conveyor.Core.Cron;

/// <summary>What a schedule does with ticks that came due while the store was not running.</summary>
public enum CronMissedPolicy : byte
{
    /// <summary>The latest missed tick fires once when the store is back (never once per missed tick).</summary>
    FireOnce = 0,

    /// <summary>Missed ticks are skipped: the schedule goes on with the next tick.</summary>
    Skip = 1,
}
