using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Jobs;
using Microsoft.Extensions.DependencyInjection;

namespace Conveyor.Client.Worker;

/// <summary>A handler of <typeparamref name="TArgs"/> jobs that returns a <typeparamref name="TResult"/>, implemented by <typeparamref name="THandler"/>.</summary>
internal sealed class ResultHandlerRegistration<TArgs, TResult, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>
    : HandlerRegistration
    where THandler : class, IJobHandler<TArgs, TResult>
{
    /// <summary>The largest result the server keeps (64 KiB of JSON); a larger one would have the whole settle batch refused.</summary>
    internal const int MaxResultBytes = 64 * 1024;

    private readonly string? jobType;
    private readonly TimeSpan? timeout;
    private JsonTypeInfo<TArgs>? argsInfo;
    private JsonTypeInfo<TResult>? resultInfo;

    public ResultHandlerRegistration(string? jobType, JsonTypeInfo<TArgs>? argsInfo, JsonTypeInfo<TResult>? resultInfo, TimeSpan? timeout = null)
    {
        this.jobType = jobType;
        this.timeout = timeout;
        this.argsInfo = argsInfo;
        this.resultInfo = resultInfo;
    }

    public override string ResolveJobType(ConveyorClientOptions options) => jobType ?? JobTypeResolver.JobTypeOf(typeof(TArgs), options);

    public override TimeSpan? Timeout(ConveyorClientOptions options) => timeout ?? PolicyTimeout(typeof(TArgs), options);

    public override async Task InvokeAsync(IServiceProvider services, JobView job, JobContext context, ConveyorClientOptions options, CancellationToken cancellationToken)
    {
        argsInfo ??= JobTypeResolver.TypeInfoOf<TArgs>(options);
        resultInfo ??= JobTypeResolver.TypeInfoOf<TResult>(options);
        var args = JsonSerializer.Deserialize(job.Args.Utf8.Span, argsInfo)!;
        var handler = services.GetRequiredService<THandler>();
        var result = await handler.HandleAsync(args, context, cancellationToken).ConfigureAwait(false);
        var bytes = JsonSerializer.SerializeToUtf8Bytes(result, resultInfo);
        context.Result = bytes.Length <= MaxResultBytes
            ? bytes
            : throw new PermanentJobFailureException($"the job's result is {bytes.Length} bytes of JSON; the server keeps at most {MaxResultBytes}");
    }
}
