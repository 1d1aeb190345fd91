using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Contracts.Jobs;

namespace Conveyor.Client;

/// <summary>
/// How <see cref="ConveyorClient"/> reaches the server and serializes typed job arguments. Configure it with
/// <c>services.AddConveyorClient(o => ...)</c>; the worker host uses the same options.
/// </summary>
public sealed class ConveyorClientOptions
{
    /// <summary>The base address of the server's HTTP API (default <c>http://127.0.0.1:7420/</c>).</summary>
    public Uri ServerUrl { get; set; } = new("http://127.0.0.1:7420/");

    /// <summary>The environment variable <see cref="ApiKey"/> is read from when it is not set.</summary>
    public const string ApiKeyVariable = "CONVEYOR_API_KEY";

    /// <summary>
    /// The API key sent as <c>Authorization: Bearer</c>; when null, the <c>CONVEYOR_API_KEY</c> environment
    /// variable (if set). Needed once the server has keys; its scopes decide what the client may do.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one call may take before it is abandoned (default 30 s). A worker's long-poll gets its wait on top.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a pooled connection is reused before it is replaced, so DNS changes are seen (default 5 min).</summary>
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Serializes typed job arguments. Add your source-generated context so that typed jobs need no
    /// reflection: <c>o.SerializerOptions.TypeInfoResolverChain.Insert(0, MyJsonContext.Default)</c>.
    /// Web defaults (camelCase) unless you change them.
    /// </summary>
    public JsonSerializerOptions SerializerOptions { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Job type names registered with <see cref="MapJobType{TArgs}"/>; they win over <see cref="JobTypeAttribute"/>.</summary>
    internal Dictionary<Type, string> JobTypes { get; } = [];

    private readonly Dictionary<Type, JobPolicy> policies = [];

    /// <summary>The clock for timeouts and heartbeats (a fake one in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Names the job type that arguments of type <typeparamref name="TArgs"/> are enqueued and handled as.</summary>
    /// <returns>These options, for chaining.</returns>
    public ConveyorClientOptions MapJobType<TArgs>(string jobType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(jobType);
        JobTypes[typeof(TArgs)] = jobType;
        return this;
    }

    /// <summary>
    /// Sets the enqueue policy of <typeparamref name="TArgs"/> (queue, priority, attempts, back-off, lease, uniqueness); its
    /// set fields win over the type's <see cref="JobPolicyAttribute"/>, and an enqueue's <see cref="JobOptions"/> win over both.
    /// </summary>
    /// <returns>These options, for chaining.</returns>
    public ConveyorClientOptions SetPolicy<TArgs>(JobPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policies[typeof(TArgs)] = policy;
        return this;
    }

    /// <summary>
    /// The wire job a typed enqueue of <paramref name="args"/> sends: its type name, its type's policy under
    /// <paramref name="options"/>, and its arguments serialized with <see cref="SerializerOptions"/>. Useful to enqueue
    /// jobs of several types in one <see cref="IConveyorClient.EnqueueRawBatchAsync"/>.
    /// </summary>
    public EnqueueRequest CreateEnqueueRequest<TArgs>(TArgs args, JobOptions? options = null) =>
        JobTypeResolver.ToRequest(args, JobTypeResolver.TypeInfoOf<TArgs>(this), options, this);

    /// <summary>As <see cref="CreateEnqueueRequest{TArgs}(TArgs, JobOptions?)"/>, serializing with <paramref name="typeInfo"/>.</summary>
    public EnqueueRequest CreateEnqueueRequest<TArgs>(TArgs args, JsonTypeInfo<TArgs> typeInfo, JobOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return JobTypeResolver.ToRequest(args, typeInfo, options, this);
    }

    internal JobPolicy? PolicyOf(Type argsType) => policies.GetValueOrDefault(argsType);

    internal bool TryGetJobType(Type argsType, [NotNullWhen(true)] out string? jobType) => JobTypes.TryGetValue(argsType, out jobType);
}
