using Conveyor.Core.Jobs;

namespace Conveyor.Storage.Embedded.State;

/// <summary>
/// The jobs someone waits on to finish, and those of them that finished (or left the table) since the writer last looked:
/// <see cref="JobTable"/> notes them as it applies events, so waiters are woken by the change itself, never by polling.
/// With no job watched the table's cost is one count check per finish.
/// </summary>
internal sealed class FinishWatch
{
    private readonly HashSet<JobKey> watched = [];
    private readonly List<JobKey> finished = [];

    public bool Any => watched.Count > 0;

    /// <summary>Watched jobs that finished or went since the last <see cref="TakeFinished"/>, each at most once.</summary>
    public bool HasFinished => finished.Count > 0;

    public void Watch(JobKey key) => watched.Add(key);

    public void Unwatch(JobKey key) => watched.Remove(key);

    /// <summary>A job reached a finished state or left the table.</summary>
    public void Note(JobKey key)
    {
        if (watched.Contains(key))
        {
            finished.Add(key);
        }
    }

    /// <summary>Every job left the table (a flush).</summary>
    public void NoteAll() => finished.AddRange(watched);

    public JobKey[] TakeFinished()
    {
        JobKey[] taken = [.. finished.Distinct()];
        finished.Clear();
        return taken;
    }
}
