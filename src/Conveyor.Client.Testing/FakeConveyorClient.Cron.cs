using System.Net;
using Conveyor.Contracts;
using Conveyor.Contracts.Cron;

namespace Conveyor.Client.Testing;

/// <summary>
/// Schedules, held in memory: set, get, list, delete, pause and resume behave as the server's do, but nothing ever fires
/// and <see cref="CronScheduleView.Next"/> stays empty (the fake does not evaluate cron expressions).
/// </summary>
public sealed partial class FakeConveyorClient
{
    private readonly SortedDictionary<string, CronScheduleView> schedules = new(StringComparer.Ordinal);

    /// <summary>Every schedule held, by name.</summary>
    public IReadOnlyList<CronScheduleView> Schedules
    {
        get
        {
            lock (gate)
            {
                return [.. schedules.Values];
            }
        }
    }

    /// <inheritdoc />
    public Task<CronScheduleView> SetScheduleAsync(string name, CronScheduleRequest schedule, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(schedule);
        if (string.IsNullOrWhiteSpace(schedule.Expression))
        {
            throw Invalid("expression", "is required");
        }

        if (schedule.Job is not { Type: { Length: > 0 } } job)
        {
            throw Invalid("job.type", "is required");
        }

        var now = DateTimeOffset.UtcNow;
        lock (gate)
        {
            var created = schedules.TryGetValue(name, out var existing) ? existing.CreatedAt : now;
            var view = new CronScheduleView
            {
                Name = name,
                Expression = schedule.Expression,
                TimeZone = schedule.TimeZone ?? "UTC",
                Missed = schedule.Missed ?? "fire_once",
                Paused = schedule.Paused ?? false,
                Job = job with { Queue = job.Queue ?? "default" },
                CreatedAt = created,
                UpdatedAt = now,
                LastTick = existing?.LastTick,
            };
            schedules[name] = view;
            return Task.FromResult(view);
        }
    }

    /// <inheritdoc />
    public Task<CronScheduleView?> GetScheduleAsync(string name, int next = 1, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(schedules.GetValueOrDefault(name));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<CronScheduleView>> ListSchedulesAsync(int next = 1, CancellationToken cancellationToken = default) =>
        Task.FromResult(Schedules);

    /// <inheritdoc />
    public Task DeleteScheduleAsync(string name, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return schedules.Remove(name) ? Task.CompletedTask : throw NotFound(name);
        }
    }

    /// <inheritdoc />
    public Task<CronScheduleView> PauseScheduleAsync(string name, CancellationToken cancellationToken = default) => SetPaused(name, paused: true);

    /// <inheritdoc />
    public Task<CronScheduleView> ResumeScheduleAsync(string name, CancellationToken cancellationToken = default) => SetPaused(name, paused: false);

    private Task<CronScheduleView> SetPaused(string name, bool paused)
    {
        lock (gate)
        {
            if (!schedules.TryGetValue(name, out var view))
            {
                throw NotFound(name);
            }

            view = view with { Paused = paused, UpdatedAt = DateTimeOffset.UtcNow };
            schedules[name] = view;
            return Task.FromResult(view);
        }
    }

    private static ConveyorApiException NotFound(string name) =>
        new(HttpStatusCode.NotFound, new Problem { Type = ProblemTypes.NotFound, Status = 404, Detail = $"no schedule named '{name}'" });

    private static ConveyorApiException Invalid(string field, string message) =>
        new((HttpStatusCode)422, new Problem { Type = ProblemTypes.Validation, Status = 422, Field = field, Detail = $"{field} {message}" });
}
