namespace Conveyor.Client;

/// <summary>
/// Names the job type (and optionally the queue) that arguments of the marked class are enqueued and handled
/// as: <c>[JobType("email.send", Queue = "mail")] public sealed record SendEmail(string To);</c>. A name given
/// with <see cref="ConveyorClientOptions.MapJobType{TArgs}"/> wins.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, Inherited = false)]
public sealed class JobTypeAttribute : Attribute
{
    /// <summary>Names the job type.</summary>
    public JobTypeAttribute(string name)
    {
        Name = name;
    }

    /// <summary>The job type, as workers of any language see it.</summary>
    public string Name { get; }

    /// <summary>The queue typed enqueues go to when <see cref="JobOptions.Queue"/> is not given (server default: <c>default</c>).</summary>
    public string? Queue { get; set; }
}
