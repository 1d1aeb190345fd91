#!/usr/bin/env bash
# The project's test command (CI runs it through .ci/run): the whole test suite, then the Native AOT binary
# published and smoke-tested (tests/aot-smoke.sh). Ends with one plain line "N passed, N failed, N skipped"
# and exits non-zero if anything failed.
set -uo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# What the tests need from the system: Debian's Chromium for the dashboard's browser tests (never a downloaded one),
# and PostgreSQL, whose store tests start a throw-away cluster of their own (never a shared server).
apt_install() {
  echo "== installing $* (apt-get)"
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}
command -v chromium >/dev/null || apt_install chromium
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || apt_install postgresql

# One code style (.editorconfig): the tree must be as dotnet format leaves it.
echo "== dotnet format Conveyor.slnx --verify-no-changes --severity warn"
if dotnet format Conveyor.slnx --verify-no-changes --severity warn; then
  format_failed=0
  echo "== code style: as dotnet format leaves it"
else
  format_failed=1
  echo "== code style: FAILED (run: dotnet format Conveyor.slnx --severity warn)"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT

dotnet test Conveyor.slnx 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}

# dotnet test prints one "Passed!/Failed!  - Failed: F, Passed: P, Skipped: S, ..." line per test project.
read -r passed failed skipped < <(awk '
  /(Passed|Failed)! +- +Failed:/ {
    for (i = 1; i <= NF; i++) {
      gsub(",", "", $(i + 1))
      if ($i == "Failed:") f += $(i + 1)
      if ($i == "Passed:") p += $(i + 1)
      if ($i == "Skipped:") s += $(i + 1)
    }
  }
  END { print p + 0, f + 0, s + 0 }' "$log")

# The AOT publish fails on any trim or AOT warning (TreatWarningsAsErrors reaches the ILC), so a warning is a
# failed smoke test; the summary prints the count.
aot=artifacts/aot
echo "== Native AOT: dotnet publish src/Conveyor.Cli -c Release -r linux-x64 -p:PublishAot=true -o $aot"
if dotnet publish src/Conveyor.Cli -c Release -r linux-x64 -p:PublishAot=true -o "$aot" -clp:Summary && tests/aot-smoke.sh "$aot/conveyor"; then
  passed=$((passed + 1))
  echo "== Native AOT smoke test: passed"
else
  failed=$((failed + 1))
  echo "== Native AOT smoke test: FAILED"
fi

if [ "$format_failed" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi

echo "${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$test_status" -ne 0 ] || [ "$failed" -ne 0 ] || [ "$passed" -eq 0 ]; then
  exit 1
fi
