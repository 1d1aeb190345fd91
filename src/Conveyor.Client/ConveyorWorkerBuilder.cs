using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using Conveyor.Client.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Conveyor.Client;

/// <summary>Registers handlers with the worker host that <c>services.AddConveyorWorker(...)</c> added.</summary>
public sealed class ConveyorWorkerBuilder
{
    internal ConveyorWorkerBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection, for registering what handlers depend on.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// Runs jobs of type <paramref name="jobType"/> (default: the name mapped for, or the <see cref="JobTypeAttribute"/> of,
    /// <typeparamref name="TArgs"/>) with <typeparamref name="THandler"/>, resolved in a new scope per job. The arguments are
    /// deserialized with <see cref="ConveyorClientOptions.SerializerOptions"/>. An attempt runs at most <paramref name="timeout"/>
    /// (default: the args type's <see cref="JobPolicy.TimeoutSeconds"/>, else no limit; a job's own <c>timeout_seconds</c> wins):
    /// then its token is cancelled and it is failed with <c>Timeout</c>.
    /// </summary>
    /// <returns>This builder, for chaining.</returns>
    public ConveyorWorkerBuilder AddHandler<TArgs, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string? jobType = null, TimeSpan? timeout = null)
        where THandler : class, IJobHandler<TArgs> => Add<TArgs, THandler>(jobType, null, timeout);

    /// <summary>As <see cref="AddHandler{TArgs, THandler}(string?, TimeSpan?)"/>, deserializing with <paramref name="typeInfo"/> from your source-generated context.</summary>
    /// <returns>This builder, for chaining.</returns>
    public ConveyorWorkerBuilder AddHandler<TArgs, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        JsonTypeInfo<TArgs> typeInfo, string? jobType = null, TimeSpan? timeout = null)
        where THandler : class, IJobHandler<TArgs>
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Add<TArgs, THandler>(jobType, typeInfo, timeout);
    }

    /// <summary>
    /// Runs jobs of type <paramref name="jobType"/> (default: as for <see cref="AddHandler{TArgs, THandler}(string?, TimeSpan?)"/>) with
    /// <typeparamref name="THandler"/>, whose return value is sent with the ack as the job's result. Arguments and result are
    /// (de)serialized with <see cref="ConveyorClientOptions.SerializerOptions"/>. <paramref name="timeout"/> as for
    /// <see cref="AddHandler{TArgs, THandler}(string?, TimeSpan?)"/>.
    /// </summary>
    /// <returns>This builder, for chaining.</returns>
    public ConveyorWorkerBuilder AddHandler<TArgs, TResult, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(string? jobType = null, TimeSpan? timeout = null)
        where THandler : class, IJobHandler<TArgs, TResult> => AddWithResult<TArgs, TResult, THandler>(jobType, null, null, timeout);

    /// <summary>
    /// As <see cref="AddHandler{TArgs, TResult, THandler}(string?, TimeSpan?)"/>, with <paramref name="argsInfo"/> and <paramref name="resultInfo"/>
    /// from your source-generated context.
    /// </summary>
    /// <returns>This builder, for chaining.</returns>
    public ConveyorWorkerBuilder AddHandler<TArgs, TResult, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        JsonTypeInfo<TArgs> argsInfo, JsonTypeInfo<TResult> resultInfo, string? jobType = null, TimeSpan? timeout = null)
        where THandler : class, IJobHandler<TArgs, TResult>
    {
        ArgumentNullException.ThrowIfNull(argsInfo);
        ArgumentNullException.ThrowIfNull(resultInfo);
        return AddWithResult<TArgs, TResult, THandler>(jobType, argsInfo, resultInfo, timeout);
    }

    /// <summary>
    /// Runs <typeparamref name="TMiddleware"/> around every handler, inside the middlewares registered before it. It is
    /// resolved from each job's DI scope (registered scoped unless you registered it yourself).
    /// </summary>
    /// <returns>This builder, for chaining.</returns>
    public ConveyorWorkerBuilder UseMiddleware<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TMiddleware>()
        where TMiddleware : class, IJobMiddleware
    {
        Services.TryAddScoped<TMiddleware>();
        Services.AddSingleton(new MiddlewareRegistration(sp => sp.GetRequiredService<TMiddleware>()));
        return this;
    }

    private ConveyorWorkerBuilder Add<TArgs, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        string? jobType, JsonTypeInfo<TArgs>? typeInfo, TimeSpan? timeout)
        where THandler : class, IJobHandler<TArgs>
    {
        CheckTimeout(timeout);
        Services.TryAddScoped<THandler>();
        return Register<TArgs>(jobType, new TypedHandlerRegistration<TArgs, THandler>(jobType, typeInfo, timeout));
    }

    private ConveyorWorkerBuilder AddWithResult<TArgs, TResult, [DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] THandler>(
        string? jobType, JsonTypeInfo<TArgs>? argsInfo, JsonTypeInfo<TResult>? resultInfo, TimeSpan? timeout)
        where THandler : class, IJobHandler<TArgs, TResult>
    {
        CheckTimeout(timeout);
        Services.TryAddScoped<THandler>();
        return Register<TArgs>(jobType, new ResultHandlerRegistration<TArgs, TResult, THandler>(jobType, argsInfo, resultInfo, timeout));
    }

    private static void CheckTimeout(TimeSpan? timeout)
    {
        if (timeout is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(limit, TimeSpan.Zero, nameof(timeout));
        }
    }

    private ConveyorWorkerBuilder Register<TArgs>(string? jobType, HandlerRegistration registration)
    {
        Services.AddSingleton(registration);
        if (jobType is not null)
        {
            // A producer in the same process then enqueues TArgs under the same name.
            Services.Configure<ConveyorClientOptions>(o => o.JobTypes.TryAdd(typeof(TArgs), jobType));
        }

        return this;
    }
}
