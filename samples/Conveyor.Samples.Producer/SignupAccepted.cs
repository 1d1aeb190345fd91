namespace Conveyor.Samples.Producer;

/// <summary>The answer of <c>POST /signups</c>: the id of the enqueued job.</summary>
public sealed record SignupAccepted(string JobId);
