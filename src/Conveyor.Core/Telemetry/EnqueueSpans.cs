using System.Diagnostics;
using Conveyor.Core.Storage;

namespace Conveyor.Core.Telemetry;

/// <summary>The spans one enqueue call started (<see cref="JobTracing.StartEnqueue"/>); empty when nothing listens.</summary>
public readonly struct EnqueueSpans(Activity? main, List<Activity>? own) : IDisposable
{
    /// <summary>Names the job of a one-job call once the store has given it its id.</summary>
    public void Enqueued(EnqueueResult result)
    {
        if (main is not null && result.Jobs.Count == 1)
        {
            main.SetTag("messaging.message.id", result.Jobs[0].Key.ToString());
        }
    }

    /// <summary>Marks every span of the call failed.</summary>
    public void Failed(Exception error)
    {
        JobTracing.Failed(main, error);
        if (own is not null)
        {
            foreach (var span in own)
            {
                JobTracing.Failed(span, error);
            }
        }
    }

    /// <summary>Ends the spans, the batch's last.</summary>
    public void Dispose()
    {
        if (own is not null)
        {
            foreach (var span in own)
            {
                span.Dispose();
            }
        }

        main?.Dispose();
    }
}
