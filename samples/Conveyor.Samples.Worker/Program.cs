using Microsoft.Extensions.Hosting;
using Conveyor.Samples.Worker;

await WorkerApp.CreateBuilder(args).Build().RunAsync();
