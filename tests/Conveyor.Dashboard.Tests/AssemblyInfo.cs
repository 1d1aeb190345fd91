using Conveyor.Dashboard.Tests;

// One browser for every test, and one test at a time: Chromium is heavy on a shared machine.
[assembly: AssemblyFixture(typeof(Browser))]
[assembly: CollectionBehavior(DisableTestParallelization = true)]
