using Conveyor.Testing;

namespace Conveyor.Broker.Tests;

/// <summary>
/// The fake clock, plus a signal when someone creates a timer on it, so a test knows a long-poll has
/// started waiting before it moves the clock (a timer created after the move would never fire).
/// </summary>
internal sealed class TimerWatchingTimeProvider(FakeTimeProvider inner) : TimeProvider
{
    private readonly Lock gate = new();
    private TaskCompletionSource timerCreated = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = inner.CreateTimer(callback, state, dueTime, period);
        lock (gate)
        {
            timerCreated.TrySetResult();
        }

        return timer;
    }

    /// <summary>Completes when the next timer is created (or one was created since the last call).</summary>
    public Task NextTimerAsync()
    {
        lock (gate)
        {
            var pending = timerCreated.Task;
            if (pending.IsCompleted)
            {
                timerCreated = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return pending;
        }
    }
}
