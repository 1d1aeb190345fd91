using Microsoft.AspNetCore.Http.Metadata;

namespace Conveyor.Server.Errors;

/// <summary>Endpoint metadata that routing applies as the request's body limit (larger bodies get 413).</summary>
internal sealed record BodySizeLimit(long? MaxRequestBodySize) : IRequestSizeLimitMetadata;
