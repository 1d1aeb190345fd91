#!/usr/bin/env bash
# Packs the SDK (Conveyor.Client, Conveyor.Client.Testing, Conveyor.Client.Postgres) into a local feed and builds a tiny
# consumer project against it, outside this repository: the consumer must restore from the feed, compile against the packages, and keep its
# own warnings as warnings (the repository's analyzers and warnings-as-errors must not travel with the packages).
# Not part of test.sh: packing and a cold restore take minutes on a busy machine.
#
#   tests/sdk-pack-smoke.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
feed=$root/artifacts/nuget
work=$(mktemp -d "${TMPDIR:-/tmp}/conveyor-sdk-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT

rm -f "$feed"/Conveyor.Client*.nupkg
dotnet pack "$root/src/Conveyor.Client" -c Release -o "$feed"
dotnet pack "$root/src/Conveyor.Client.Testing" -c Release -o "$feed"
dotnet pack "$root/src/Conveyor.Client.Postgres" -c Release -o "$feed"
for package in "$feed"/Conveyor.Client*.nupkg; do
  if unzip -l "$package" | grep -Eq ' (build|buildTransitive|analyzers)/'; then
    echo "sdk-pack-smoke: $package carries build props or analyzers" >&2
    exit 1
  fi
done

cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <add key="conveyor-local" value="$feed" />
  </packageSources>
</configuration>
XML
cat > "$work/Consumer.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <RestorePackagesPath>$work/packages</RestorePackagesPath>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Conveyor.Client" Version="*" />
    <PackageReference Include="Conveyor.Client.Testing" Version="*" />
    <PackageReference Include="Conveyor.Client.Postgres" Version="*" />
  </ItemGroup>
</Project>
XML
cat > "$work/Program.cs" <<'CS'
using Conveyor.Client;
using Conveyor.Client.Testing;
using Microsoft.Extensions.DependencyInjection;

int unused; // CS0168: must stay a warning in the consumer's build
var services = new ServiceCollection();
services.AddConveyorClient();
services.AddHealthChecks().AddConveyor();
var fake = new FakeConveyorClient();
var id = await fake.EnqueueRawAsync(new Conveyor.Contracts.Jobs.EnqueueRequest { Type = "hello" });
// Transactional enqueue: compiles against the package, and the job model it carries (Conveyor.Core) loads.
System.Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, Conveyor.Core.Jobs.JobSpec, Conveyor.Client.Postgres.PostgresEnqueueOptions,
    System.Threading.CancellationToken, System.Threading.Tasks.Task<string>> enqueue = Conveyor.Client.Postgres.PostgresTransactionalEnqueue.EnqueueAsync;
var valid = Conveyor.Core.Jobs.JobSpecValidator.Validate(new Conveyor.Core.Jobs.JobSpec { Type = "hello" }) is null;
System.Console.WriteLine(id == fake.Jobs[0].Id && valid && enqueue is not null ? "consumer: ok" : "consumer: wrong id or job model");
CS

log=$work/build.log
dotnet build "$work/Consumer.csproj" -c Release 2>&1 | tee "$log"
grep -q 'warning CS0168' "$log" || { echo "sdk-pack-smoke: the consumer's warning was not reported as a warning" >&2; exit 1; }
[ "$(dotnet "$work/bin/Release/net10.0/Consumer.dll")" = "consumer: ok" ] || { echo "sdk-pack-smoke: the consumer did not run" >&2; exit 1; }
echo "sdk-pack-smoke: passed"
