using Conveyor.Client;

namespace Conveyor.Samples.Worker;

/// <summary>The job's arguments, as the producer enqueues them.</summary>
[JobType("email.welcome", Queue = "mail")]
public sealed record SendWelcomeEmail(string Email);
