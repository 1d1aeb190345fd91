namespace Conveyor.Contracts;

/// <summary>The stable <c>type</c> URIs of the API's problems; clients may switch on them.</summary>
public static class ProblemTypes
{
    private const string Base = "https://conveyor.dev/problems/";

    /// <summary>422: a value is out of range or missing; <c>field</c> names it.</summary>
    public const string Validation = Base + "validation";

    /// <summary>400: the body is not JSON or has the wrong JSON types.</summary>
    public const string MalformedJson = Base + "malformed-json";

    /// <summary>400: a query or route value could not be read.</summary>
    public const string BadRequest = Base + "bad-request";

    /// <summary>404: no such job or route.</summary>
    public const string NotFound = Base + "not-found";

    /// <summary>409: the lease token is not the job's current one.</summary>
    public const string StaleLease = Base + "stale-lease";

    /// <summary>409: the operation is not legal in the job's state.</summary>
    public const string Conflict = Base + "conflict";

    /// <summary>409: a job with the enqueued id exists with a different type or args; <c>index</c> names it in a batch.</summary>
    public const string IdConflict = Base + "id-conflict";

    /// <summary>413: the body is over the limit.</summary>
    public const string PayloadTooLarge = Base + "payload-too-large";

    /// <summary>415: the body is not <c>application/json</c>.</summary>
    public const string UnsupportedMediaType = Base + "unsupported-media-type";

    /// <summary>405: the route exists for other methods.</summary>
    public const string MethodNotAllowed = Base + "method-not-allowed";

    /// <summary>503: the store refuses writes (disk full, I/O error).</summary>
    public const string StorageUnavailable = Base + "storage-unavailable";

    /// <summary>
    /// 503 with <c>Retry-After</c>: the store is at its memory budget and refuses new jobs; fetch, settle and reads go on.
    /// </summary>
    public const string StorageFull = Base + "storage-full";

    /// <summary>503: the store is still recovering.</summary>
    public const string NotReady = Base + "not-ready";

    /// <summary>401: no API key, or not a valid one (docs/security.md).</summary>
    public const string Unauthorized = Base + "unauthorized";

    /// <summary>403: the API key lacks the scope the call needs.</summary>
    public const string Forbidden = Base + "forbidden";

    /// <summary>421: the Host header is not a name this server answers to.</summary>
    public const string MisdirectedRequest = Base + "misdirected-request";

    /// <summary>500: a bug; the server keeps running.</summary>
    public const string Internal = Base + "internal";
}
