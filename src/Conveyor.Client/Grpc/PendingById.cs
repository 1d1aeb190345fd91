namespace Conveyor.Client.Grpc;

/// <summary>Answers awaited on the Work stream, matched by job id (the server answers each id in the order asked).</summary>
internal sealed class PendingById<T>
{
    private readonly Dictionary<string, Queue<TaskCompletionSource<T>>> waiting = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private Exception? failed;

    public Task<T> Add(string id)
    {
        var answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            if (failed is not null)
            {
                answer.SetException(failed);
                return answer.Task;
            }

            if (!waiting.TryGetValue(id, out var queue))
            {
                waiting[id] = queue = new Queue<TaskCompletionSource<T>>(1);
            }

            queue.Enqueue(answer);
        }

        return answer.Task;
    }

    public void Complete(string id, T value)
    {
        TaskCompletionSource<T>? answer = null;
        lock (gate)
        {
            if (waiting.TryGetValue(id, out var queue) && queue.TryDequeue(out answer) && queue.Count == 0)
            {
                waiting.Remove(id);
            }
        }

        answer?.TrySetResult(value);
    }

    /// <summary>Fails everything awaited now and later (the stream is over).</summary>
    public void FailAll(Exception exception)
    {
        List<TaskCompletionSource<T>> all;
        lock (gate)
        {
            failed ??= exception;
            all = [.. waiting.Values.SelectMany(q => q)];
            waiting.Clear();
        }

        foreach (var answer in all)
        {
            answer.TrySetException(exception);
        }
    }
}
