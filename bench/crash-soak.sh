#!/usr/bin/env bash
# The long crash test (SPEC §5): SIGKILL the real server under load KILLS times (default 100) and
# check that every acknowledged enqueue ends completed and no lease is acknowledged twice.
# Usage: bench/crash-soak.sh [KILLS]   (the full log is kept in ${TMPDIR:-/tmp}/conveyor-crash-soak.log)
set -uo pipefail
cd "$(dirname "$0")/.."
kills="${1:-100}"
log="${TMPDIR:-/tmp}/conveyor-crash-soak.log"
CONVEYOR_CRASH_KILLS="$kills" dotnet test tests/Conveyor.Cli.Tests -c Release \
  --filter "FullyQualifiedName~CrashTests" --logger "console;verbosity=detailed" > "$log" 2>&1
status=$?
grep -E "crash test \(seed|Passed Conveyor|Failed Conveyor" "$log"
[ "$status" -eq 0 ] || { grep -A30 "Error Message" "$log" | head -60; echo "full log: $log"; }
exit "$status"
