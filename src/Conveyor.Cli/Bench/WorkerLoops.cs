namespace Conveyor.Cli.Bench;

/// <summary>
/// Runs <c>count</c> worker loops on the thread pool until all return; each gets its index and one shared source that
/// any loop cancels once the pool's target is reached (the others' waits end there too).
/// </summary>
internal static class WorkerLoops
{
    public static async Task RunAsync(int count, Func<int, CancellationTokenSource, Task> loop, CancellationToken cancellationToken)
    {
        using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tasks = new Task[count];
        for (var i = 0; i < count; i++)
        {
            var index = i;
            tasks[i] = Task.Run(() => loop(index, done), CancellationToken.None);
        }

        await Task.WhenAll(tasks).ConfigureAwait(false);
    }
}
