#!/usr/bin/env bash
# The long crash test (SPEC §5): SIGKILL the real server under load KILLS times (default 100) and
# check that every acknowledged enqueue ends completed and no lease is acknowledged twice.
# Usage: bench/crash-soak.sh [KILLS]
set -euo pipefail
cd "$(dirname "$0")/.."
kills="${1:-100}"
CONVEYOR_CRASH_KILLS="$kills" dotnet test tests/Conveyor.Cli.Tests -c Release \
  --filter "FullyQualifiedName~CrashTests" --logger "console;verbosity=detailed" 2>&1 \
  | grep -E "crash test|Passed|Failed|Error Message|acknowledged" 
