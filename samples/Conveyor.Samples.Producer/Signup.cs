namespace Conveyor.Samples.Producer;

/// <summary>The body of <c>POST /signups</c>.</summary>
public sealed record Signup(string Email);
