using Conveyor.Samples.Worker;
using Microsoft.Extensions.Hosting;

await WorkerApp.CreateBuilder(args).Build().RunAsync();
