using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Worker;

/// <summary>A handler of <typeparamref name="TArgs"/> jobs implemented by <typeparamref name="THandler"/>.</summary>
internal sealed class TypedHandlerRegistration<TArgs, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>
    : HandlerRegistration
    where THandler : class, IJobHandler<TArgs>
{
    private readonly string? jobType;
    private readonly TimeSpan? timeout;
    private JsonTypeInfo<TArgs>? typeInfo;

    public TypedHandlerRegistration(string? jobType, JsonTypeInfo<TArgs>? typeInfo, TimeSpan? timeout = null)
    {
        this.jobType = jobType;
        this.typeInfo = typeInfo;
        this.timeout = timeout;
    }

    public override string ResolveJobType(ConveyorClientOptions options) => jobType ?? JobTypeResolver.JobTypeOf(typeof(TArgs), options);

    public override TimeSpan? Timeout(ConveyorClientOptions options) => timeout ?? PolicyTimeout(typeof(TArgs), options);

    public override Task InvokeAsync(IServiceProvider services, JobView job, JobContext context, ConveyorClientOptions options, CancellationToken cancellationToken)
    {
        typeInfo ??= JobTypeResolver.TypeInfoOf<TArgs>(options);
        var args = JsonSerializer.Deserialize(job.Args.Utf8.Span, typeInfo)!;
        var handler = services.GetRequiredService<THandler>();
        return handler.HandleAsync(args, context, cancellationToken);
    }
}
