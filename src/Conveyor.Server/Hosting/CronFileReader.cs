using System.Text.Json;
using Conveyor.Broker;
using Conveyor.Contracts.Cron;
using Conveyor.Contracts.Json;
using Conveyor.Core.Cron;
using Conveyor.Server.Mapping;

namespace Conveyor.Server.Hosting;

/// <summary>
/// Reads the cron file (<c>--cron-file</c>): <c>{"schedules": [{"name", "expression", "time_zone", "missed", "paused", "job"}]}</c>.
/// Any error refuses the start with one line naming the file, the schedule and the field.
/// </summary>
public static class CronFileReader
{
    /// <summary>The schedules in <paramref name="path"/>, validated; throws <see cref="ServerConfigurationException"/> on the first problem.</summary>
    public static IReadOnlyList<CronSchedule> Read(string path, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(path);
        CronFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), ConveyorJsonContext.Default.CronFile);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Refuse(path, $"cannot be read: {ex.Message}");
        }
        catch (JsonException ex)
        {
            throw Refuse(path, $"is not a valid cron file: {OneLine(ex.Message)}");
        }

        if (file?.Schedules is not { } entries)
        {
            throw Refuse(path, "has no \"schedules\" list");
        }

        var schedules = new List<CronSchedule>(entries.Count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry?.Name is not { } name)
            {
                throw Refuse(path, $"schedule {i}: name is required");
            }

            try
            {
                var schedule = CronMapping.ToSchedule(name, entry, now);
                if (CronScheduleValidator.Validate(schedule) is { } error)
                {
                    throw new RequestRejectedException(error.Field, error.Message);
                }

                if (!names.Add(name))
                {
                    throw new RequestRejectedException("name", "appears twice in the file");
                }

                schedules.Add(schedule);
            }
            catch (RequestRejectedException ex)
            {
                throw Refuse(path, $"schedule '{OneLine(name)}': {ex.Field} {OneLine(ex.Reason)}");
            }
        }

        return schedules;
    }

    private static ServerConfigurationException Refuse(string path, string problem) => new($"--cron-file {path} {problem}");

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
