using Conveyor.Client;

namespace Conveyor.Samples.Producer;

/// <summary>The application code that enqueues: it sees only <see cref="IConveyorClient"/>, so its tests use a fake.</summary>
public sealed class SignupService
{
    private readonly IConveyorClient conveyor;

    /// <summary>Takes the client from DI.</summary>
    public SignupService(IConveyorClient conveyor)
    {
        this.conveyor = conveyor;
    }

    /// <summary>Accepts a signup: the welcome email goes out in the background, at most once per address per day.</summary>
    /// <returns>The welcome email job's id.</returns>
    public Task<string> AcceptAsync(Signup signup, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signup);
        return conveyor.EnqueueAsync(new SendWelcomeEmail(signup.Email), cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for the welcome email job to complete and returns what its worker sent; throws
    /// <see cref="JobNotCompletedException"/> when it died or was cancelled, <see cref="TimeoutException"/> when still running.
    /// </summary>
    public Task<WelcomeEmailSent?> WaitForWelcomeAsync(string jobId, TimeSpan timeout, CancellationToken cancellationToken) =>
        conveyor.WaitForCompletionAsync(jobId, SampleJsonContext.Default.WelcomeEmailSent, timeout, cancellationToken);
}
