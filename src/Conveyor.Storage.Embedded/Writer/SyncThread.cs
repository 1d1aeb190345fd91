namespace Conveyor.Storage.Embedded.Writer;

/// <summary>
/// The thread a sync-mode commit's fsync runs on, one at a time: its own thread, so that a busy thread pool never delays
/// an fsync every waiting caller depends on. <see cref="Run"/> hands it one fsync.
/// </summary>
internal sealed class SyncThread : IDisposable
{
    private readonly SemaphoreSlim go = new(0);
    private Action? work;
    private TaskCompletionSource? done;
    private volatile bool stopping;

    public SyncThread()
    {
        new Thread(Loop) { IsBackground = true, Name = "conveyor-wal-fsync" }.Start();
    }

    /// <summary>Runs <paramref name="fsync"/> on the thread; the task ends with it (faulted if it threw). One at a time.</summary>
    public Task Run(Action fsync)
    {
        var completion = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        work = fsync;
        done = completion;
        go.Release();
        return completion.Task;
    }

    private void Loop()
    {
        while (true)
        {
            go.Wait();
            if (stopping)
            {
                return;
            }

            var completion = done!;
            try
            {
                work!();
                completion.SetResult();
            }
            catch (Exception ex)
            {
                completion.SetException(ex);
            }
        }
    }

    public void Dispose()
    {
        stopping = true;
        go.Release();
    }
}
