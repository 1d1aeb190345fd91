using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client;

/// <summary>Turns typed arguments into a wire job: the type name, the default queue and the serializer metadata.</summary>
internal static class JobTypeResolver
{
    public static string JobTypeOf(Type argsType, ConveyorClientOptions options)
    {
        if (options.TryGetJobType(argsType, out var name))
        {
            return name;
        }

        return argsType.GetCustomAttribute<JobTypeAttribute>()?.Name
            ?? throw new InvalidOperationException(
                $"no job type is known for {argsType.FullName}; mark it [JobType(\"name\")] or call ConveyorClientOptions.MapJobType<{argsType.Name}>(\"name\")");
    }

    public static string? DefaultQueueOf(Type argsType) => argsType.GetCustomAttribute<JobTypeAttribute>()?.Queue;

    public static JsonTypeInfo<TArgs> TypeInfoOf<TArgs>(ConveyorClientOptions options)
    {
        try
        {
            return (JsonTypeInfo<TArgs>)options.SerializerOptions.GetTypeInfo(typeof(TArgs));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException)
        {
            throw new InvalidOperationException(
                $"no JSON metadata for {typeof(TArgs).FullName}; add a JsonSerializerContext with [JsonSerializable(typeof({typeof(TArgs).Name}))] "
                + "to ConveyorClientOptions.SerializerOptions.TypeInfoResolverChain, or pass a JsonTypeInfo", e);
        }
    }

    public static EnqueueRequest ToRequest<TArgs>(TArgs args, JsonTypeInfo<TArgs> typeInfo, JobOptions? job, ConveyorClientOptions options) => new()
    {
        Type = JobTypeOf(typeof(TArgs), options),
        Queue = job?.Queue ?? DefaultQueueOf(typeof(TArgs)),
        Args = new RawJson(JsonSerializer.SerializeToUtf8Bytes(args, typeInfo)),
        Id = job?.Id,
        Priority = job?.Priority,
        RunAt = job?.RunAt,
        DelayMs = job?.Delay is { } delay ? (long)delay.TotalMilliseconds : null,
        MaxAttempts = job?.MaxAttempts,
        LeaseSeconds = job?.LeaseSeconds,
        UniqueKey = job?.UniqueKey,
        UniqueForSeconds = job?.UniqueFor is { } window ? (int)Math.Ceiling(window.TotalSeconds) : null,
        Tags = job?.Tags,
        Meta = job?.Meta,
        Backoff = job?.Backoff,
    };
}
