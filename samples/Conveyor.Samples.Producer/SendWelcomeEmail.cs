using Conveyor.Client;

namespace Conveyor.Samples.Producer;

/// <summary>The job's arguments. The worker has its own copy: producer and worker agree on the name, not on a shared assembly.</summary>
[JobType("email.welcome", Queue = "mail")]
public sealed record SendWelcomeEmail(string Email);
