using Conveyor.Core.Security;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Conveyor.Server.Security;

/// <summary>
/// Tells OpenAPI clients how to authenticate: one HTTP bearer scheme (the API key), and on each operation the
/// scope it needs (from its <see cref="RequiredScope"/>); the health probes, marked open, need none.
/// </summary>
internal static class OpenApiBearerScheme
{
    public const string Name = "bearer";

    public static void Add(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key (conveyor keys create), needed once any key exists. Each operation names the scope it needs; admin holds every scope.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<OpenEndpoint>().Any())
            {
                return Task.CompletedTask;
            }

            var scope = metadata.OfType<RequiredScope>().LastOrDefault()?.Scope ?? ApiScope.Admin;
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement
            {
                [new OpenApiSecuritySchemeReference(Name, context.Document)] = [scope.ToName()],
            });
            return Task.CompletedTask;
        });
    }
}
