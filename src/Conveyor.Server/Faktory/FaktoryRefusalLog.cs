using Microsoft.Extensions.Logging;

namespace Conveyor.Server.Faktory;

/// <summary>
/// Logs refused HELLOs (a wrong password above all) with the peer's address, at most <see cref="PerWindow"/> lines
/// per <see cref="Window"/> for the whole process, so a password-guessing client cannot flood the log. The next line
/// logged says how many were left out. The password or its proof is never logged.
/// </summary>
internal sealed partial class FaktoryRefusalLog(TimeProvider time, ILogger<FaktoryRefusalLog> logger)
{
    public const int PerWindow = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private DateTimeOffset windowStart = DateTimeOffset.MinValue;
    private int logged;
    private long suppressed;

    public void Refused(string? remote, string reason)
    {
        long skipped;
        lock (gate)
        {
            var now = time.GetUtcNow();
            if (now - windowStart >= Window)
            {
                windowStart = now;
                logged = 0;
            }

            if (logged == PerWindow)
            {
                suppressed++;
                return;
            }

            logged++;
            skipped = suppressed;
            suppressed = 0;
        }

        if (skipped == 0)
        {
            LogRefused(remote ?? "unknown", reason);
        }
        else
        {
            LogRefusedAfterSuppressed(remote ?? "unknown", reason, skipped);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Faktory HELLO from {Remote} refused: {Reason}")]
    private partial void LogRefused(string remote, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Faktory HELLO from {Remote} refused: {Reason} ({Suppressed} more refusals were not logged)")]
    private partial void LogRefusedAfterSuppressed(string remote, string reason, long suppressed);
}
