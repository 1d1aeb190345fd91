using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using Conveyor.Contracts.Json;
using Conveyor.KestrelCeiling;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// The subset of Conveyor's HTTP API that `conveyor bench e2e --drain http` calls, on an in-memory queue with no
// durability: the hosting of `conveyor serve` (slim builder, minimal APIs, source-generated JSON, HTTP/1.1 on
// 127.0.0.1, ASP.NET Core request logging off) with nothing behind it. Usage: kestrel-ceiling [port] (default 5380).
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5380;
var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false"] });
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
    json.SerializerOptions.TypeInfoResolverChain.Insert(0, ConveyorJsonContext.Default);
});
builder.Services.AddSingleton<JobQueues>();

var app = builder.Build();
CeilingEndpoints.Map(app);
Console.WriteLine($"kestrel-ceiling listening on http://127.0.0.1:{port}");
await app.RunAsync();
