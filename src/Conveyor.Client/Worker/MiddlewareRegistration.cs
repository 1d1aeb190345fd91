namespace Conveyor.Client.Worker;

/// <summary>One middleware registered with <see cref="ConveyorWorkerBuilder.UseMiddleware{TMiddleware}"/>, in order.</summary>
internal sealed record MiddlewareRegistration(Func<IServiceProvider, IJobMiddleware> Resolve);
