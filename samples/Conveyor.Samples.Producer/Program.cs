using Conveyor.Samples.Producer;

await ProducerApp.Build(args).RunAsync();
