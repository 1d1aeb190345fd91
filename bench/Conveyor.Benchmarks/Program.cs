using BenchmarkDotNet.Running;

// dotnet run -c Release --project bench/Conveyor.Benchmarks -- --filter '*' --job short
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
