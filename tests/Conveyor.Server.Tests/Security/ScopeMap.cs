using Conveyor.Core.Security;

namespace Conveyor.Server.Tests.Security;

/// <summary>The scope map of docs/security.md, as requests; <see cref="EndpointScopeTests"/> checks it covers every endpoint.</summary>
internal static class ScopeMap
{
    public static readonly IReadOnlyList<string> Open = ["GET /healthz", "GET /readyz", "GET /", "GET /assets/{name}"];

    public static readonly IReadOnlyList<EndpointCase> Cases =
    [
        new("POST", "/v1/jobs/", "v1/jobs", ApiScope.Produce, """{"type":"t","queue":"q"}"""),
        new("POST", "/v1/jobs/batch", "v1/jobs/batch", ApiScope.Produce, """{"jobs":[{"type":"t","queue":"q"}]}"""),
        new("GET", "/v1/jobs/{id}", "v1/jobs/nope", ApiScope.Read),
        new("GET", "/v1/jobs/", "v1/jobs", ApiScope.Read),
        new("POST", "/v1/jobs/{id}/cancel", "v1/jobs/nope/cancel", ApiScope.Admin),
        new("POST", "/v1/jobs/{id}/retry", "v1/jobs/nope/retry", ApiScope.Admin),
        new("POST", "/v1/fetch", "v1/fetch", ApiScope.Work, """{"queues":["empty"],"max":1,"wait_ms":0}"""),
        new("POST", "/v1/jobs/{id}/ack", "v1/jobs/nope/ack", ApiScope.Work, """{"token":"1"}"""),
        new("POST", "/v1/jobs/{id}/fail", "v1/jobs/nope/fail", ApiScope.Work, """{"token":"1","error_type":"E","message":"m"}"""),
        new("POST", "/v1/settle", "v1/settle", ApiScope.Work, """{"ack":[]}"""),
        new("POST", "/v1/jobs/{id}/heartbeat", "v1/jobs/nope/heartbeat", ApiScope.Work, """{"token":"1"}"""),
        new("POST", "/v1/leases/check", "v1/leases/check", ApiScope.Work, """{"leases":[{"id":"nope","token":"1"}]}"""),
        new("POST", "/v1/jobs/{id}/progress", "v1/jobs/nope/progress", ApiScope.Work, """{"token":"1","percent":5}"""),
        new("GET", "/v1/jobs/{id}/wait", "v1/jobs/nope/wait?timeout_ms=0", ApiScope.Read),
        new("GET", "/v1/queues/", "v1/queues", ApiScope.Read),
        new("POST", "/v1/queues/{queue}/pause", "v1/queues/q/pause", ApiScope.Admin),
        new("POST", "/v1/queues/{queue}/resume", "v1/queues/q/resume", ApiScope.Admin),
        new("DELETE", "/v1/queues/{queue}", "v1/queues/q", ApiScope.Admin),
        new("GET", "/v1/stats", "v1/stats", ApiScope.Read),
        new("GET", "/v1/workers/", "v1/workers", ApiScope.Read),
        new("POST", "/v1/workers/{wid}/quiet", "v1/workers/w/quiet", ApiScope.Admin),
        new("POST", "/v1/workers/{wid}/terminate", "v1/workers/w/terminate", ApiScope.Admin),
        new("GET", "/v1/cron/", "v1/cron", ApiScope.Read),
        new("GET", "/v1/cron/{name}", "v1/cron/nope", ApiScope.Read),
        new("PUT", "/v1/cron/{name}", "v1/cron/s", ApiScope.Admin, """{"expression":"0 0 * * *","job":{"type":"t"}}"""),
        new("DELETE", "/v1/cron/{name}", "v1/cron/nope", ApiScope.Admin),
        new("POST", "/v1/cron/{name}/pause", "v1/cron/nope/pause", ApiScope.Admin),
        new("POST", "/v1/cron/{name}/resume", "v1/cron/nope/resume", ApiScope.Admin),
        new("GET", "/openapi/{documentName}.json", "openapi/v1.json", ApiScope.Read),
        new("GET", "/metrics", "metrics", ApiScope.Read),
        new("DELETE", "/v1/jobs/{id}", "v1/jobs/nope", ApiScope.Admin),
        new("POST", "/v1/jobs/bulk", "v1/jobs/bulk", ApiScope.Admin, """{"action":"delete","ids":["nope"]}"""),
        new("GET", "/v1/operations/{id}", "v1/operations/nope", ApiScope.Read),
        new("GET", "/v1/dashboard/session", "v1/dashboard/session", ApiScope.Read),
        new("GET", "/v1/dashboard/live", "v1/dashboard/live", ApiScope.Read),
        new("GET", "/v1/dashboard/history", "v1/dashboard/history", ApiScope.Read),
    ];

    /// <summary>A key with every scope but the one needed (admin would hold it).</summary>
    public static ApiScope AllBut(ApiScope scope) => (ApiScope.Read | ApiScope.Produce | ApiScope.Work) & ~scope;
}
