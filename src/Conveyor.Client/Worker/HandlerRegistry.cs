namespace Conveyor.Client.Worker;

/// <summary>The handlers by job type, resolved once when the worker starts so a naming mistake fails at startup.</summary>
internal sealed class HandlerRegistry
{
    private readonly Dictionary<string, HandlerRegistration> byType = new(StringComparer.Ordinal);

    public HandlerRegistry(IEnumerable<HandlerRegistration> registrations, ConveyorClientOptions options)
    {
        foreach (var registration in registrations)
        {
            var jobType = registration.ResolveJobType(options);
            if (!byType.TryAdd(jobType, registration))
            {
                throw new InvalidOperationException($"two handlers are registered for job type '{jobType}'");
            }
        }
    }

    public string Known => byType.Count == 0 ? "none" : string.Join(", ", byType.Keys.Order(StringComparer.Ordinal));

    public HandlerRegistration? Find(string jobType) => byType.GetValueOrDefault(jobType);
}
