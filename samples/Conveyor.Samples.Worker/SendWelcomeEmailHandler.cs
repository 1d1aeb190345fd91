using Conveyor.Client;
using Microsoft.Extensions.Logging;

namespace Conveyor.Samples.Worker;

/// <summary>
/// "Sends" the welcome email by logging it and returns what was sent, which the server keeps as the job's result; resolved
/// in a new DI scope for each job.
/// </summary>
public sealed partial class SendWelcomeEmailHandler : IJobHandler<SendWelcomeEmail, WelcomeEmailSent>
{
    private readonly ILogger<SendWelcomeEmailHandler> logger;

    /// <summary>Takes its dependencies from DI.</summary>
    public SendWelcomeEmailHandler(ILogger<SendWelcomeEmailHandler> logger)
    {
        this.logger = logger;
    }

    /// <inheritdoc />
    public Task<WelcomeEmailSent> HandleAsync(SendWelcomeEmail args, JobContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        Sent(args.Email, context.Id, context.Attempt);
        return Task.FromResult(new WelcomeEmailSent(args.Email, $"<{context.Id}@welcome.example>"));
    }

    [LoggerMessage(1, LogLevel.Information, "Welcome email sent to {Email} (job {JobId}, attempt {Attempt})")]
    private partial void Sent(string email, string jobId, int attempt);
}
