using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Jobs;
using Conveyor.Contracts.Json;

namespace Conveyor.Client;

/// <summary>Turns typed arguments into a wire job: the type name, the type's policy and the serializer metadata.</summary>
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

    /// <summary>The type's policy: <see cref="JobTypeAttribute.Queue"/>, then <see cref="JobPolicyAttribute"/>, then the registered one, each over the last.</summary>
    public static JobPolicy PolicyOf(Type argsType, ConveyorClientOptions options) =>
        new JobPolicy { Queue = argsType.GetCustomAttribute<JobTypeAttribute>()?.Queue }
            .Overlay(argsType.GetCustomAttribute<JobPolicyAttribute>()?.ToPolicy())
            .Overlay(options.PolicyOf(argsType));

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

    public static EnqueueRequest ToRequest<TArgs>(TArgs args, JsonTypeInfo<TArgs> typeInfo, JobOptions? job, ConveyorClientOptions options)
    {
        var type = JobTypeOf(typeof(TArgs), options);
        var policy = PolicyOf(typeof(TArgs), options);
        var argsJson = JsonSerializer.SerializeToUtf8Bytes(args, typeInfo);
        var uniqueFor = job?.UniqueFor ?? policy.UniqueFor;
        return new()
        {
            Type = type,
            Queue = job?.Queue ?? policy.Queue,
            Args = new RawJson(argsJson),
            Id = job?.Id,
            Priority = job?.Priority ?? policy.Priority,
            RunAt = job?.RunAt,
            DelayMs = job?.Delay is { } delay ? (long)delay.TotalMilliseconds : null,
            MaxAttempts = job?.MaxAttempts ?? policy.MaxAttempts,
            LeaseSeconds = job?.LeaseSeconds ?? policy.LeaseSeconds,
            TimeoutSeconds = job?.TimeoutSeconds ?? policy.TimeoutSeconds,
            UniqueKey = job?.UniqueKey ?? (uniqueFor is null ? null : UniqueKeyOf(type, argsJson)),
            UniqueForSeconds = uniqueFor is { } window ? (int)Math.Ceiling(window.TotalSeconds) : null,
            Tags = job?.Tags,
            Meta = job?.Meta,
            Backoff = job?.Backoff ?? policy.Backoff,
        };
    }

    /// <summary>A key naming the type and the exact serialized arguments, short enough for any type name.</summary>
    private static string UniqueKeyOf(string type, byte[] argsJson)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(type));
        hash.AppendData([0]);
        hash.AppendData(argsJson);
        return "args:" + Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
