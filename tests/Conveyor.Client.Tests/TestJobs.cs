namespace Conveyor.Client.Tests;

[JobType("test.count")]
public sealed record CountJob(int N);

[JobType("test.throw")]
public sealed record ThrowJob(string Why);

[JobType("test.sleep")]
public sealed record SleepJob(int Ms, bool OnlyFirstAttempt = false);

[JobType("test.block", Queue = "block")]
public sealed record BlockJob(string Name);

[JobType("test.hold", Queue = "hold")]
public sealed record HoldJob(string Name);
