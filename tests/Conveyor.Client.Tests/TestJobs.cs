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

[JobType("test.permanent")]
public sealed record PermanentJob(string Why);

[JobType("test.retry-later")]
public sealed record RetryLaterJob(int Seconds);

[JobType("test.bad-input")]
public sealed record BadInputJob(string Why);

[JobType("test.policy", Queue = "from-type-attribute")]
[JobPolicy(Queue = "policy", Priority = 8, MaxAttempts = 3, Backoff = "fixed:7", LeaseSeconds = 90, UniqueForSeconds = 600)]
public sealed record PolicyJob(string Key);

[JobType("test.timeout")]
[JobPolicy(TimeoutSeconds = 1, Backoff = "fixed:0")]
public sealed record TimeoutJob(string Name);

[JobType("test.queued-hold")]
public sealed record QueuedHoldJob(string Name);

[JobType("test.scope")]
public sealed record ScopeJob(string Name);
