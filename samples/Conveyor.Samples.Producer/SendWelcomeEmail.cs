using Conveyor.Client;

namespace Conveyor.Samples.Producer;

/// <summary>The job's arguments. The worker has its own copy: producer and worker agree on the name, not on a shared assembly.</summary>
[JobType("email.welcome", Queue = "mail")]
[JobPolicy(MaxAttempts = 5, Backoff = "fixed:30", UniqueForSeconds = 86_400)]
public sealed record SendWelcomeEmail(string Email);
