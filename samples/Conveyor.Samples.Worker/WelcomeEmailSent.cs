namespace Conveyor.Samples.Worker;

/// <summary>The result of an <c>email.welcome</c> job: the address and the message id the mail service gave.</summary>
public sealed record WelcomeEmailSent(string Email, string MessageId);
