using Conveyor.Client;

namespace Conveyor.Samples.Worker;

/// <summary>The periodic job's arguments: the schedule <see cref="DigestSchedule"/> registers enqueues one a day.</summary>
[JobType("digest.daily", Queue = "reports")]
public sealed record DailyDigest(string Audience);
