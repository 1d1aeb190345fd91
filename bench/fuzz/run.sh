#!/usr/bin/env bash
# Fuzzes Conveyor's readers with SharpFuzz + afl++ (docs/security.md, "Fuzzing").
#
#   bench/fuzz/run.sh TARGET SECONDS     one target for SECONDS
#   bench/fuzz/run.sh all SECONDS        every target, one after another, SECONDS each
#   bench/fuzz/run.sh list               the targets
#   FUZZ_EXECS=11000000 bench/fuzz/run.sh TARGET SECONDS   stops at that many executions or SECONDS, first reached
#
# Builds bench/fuzz/Conveyor.Fuzz into $FUZZ_WORK/build (default /tmp/conveyor-fuzz), instruments the Conveyor
# assemblies under test with `sharpfuzz`, runs afl-fuzz on bench/fuzz/corpus/TARGET (nice 10, one afl at a time),
# and prints execs, exec/s, paths (corpus count), crashes and hangs from afl's fuzzer_stats. Findings stay
# outside the repository, in $FUZZ_WORK/findings/TARGET-<time>/ (crashes/ and hangs/ hold the inputs);
# replay one with: dotnet $FUZZ_WORK/build/Conveyor.Fuzz.dll TARGET FILE
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="${FUZZ_WORK:-/tmp/conveyor-fuzz}"
build="$work/build"
export PATH="$PATH:$HOME/.dotnet/tools"

usage() { echo "usage: $0 TARGET|all SECONDS | list" >&2; exit 2; }

ensure_tools() {
  if ! command -v afl-fuzz >/dev/null; then
    apt-get update -qq && apt-get install -y -qq afl++ >/dev/null
  fi
  if ! command -v sharpfuzz >/dev/null; then
    dotnet tool install -g SharpFuzz.CommandLine --version 2.3.0 >/dev/null
  fi
}

build_instrumented() {
  rm -rf "$build"
  dotnet publish "$here/Conveyor.Fuzz/Conveyor.Fuzz.csproj" -c Release -o "$build" --nologo -v quiet >/dev/null
  # The code under test; not the driver, its test helpers or third-party assemblies.
  for dll in "$build"/Conveyor.*.dll; do
    case "$(basename "$dll")" in
      Conveyor.Fuzz.dll|Conveyor.Testing.dll) ;;
      *) sharpfuzz "$dll" >/dev/null ;;
    esac
  done
}

stat_of() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$2"; }

fuzz_one() {
  local target="$1" seconds="$2"
  local out="$work/findings/$target-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$out"
  echo "== $target for ${seconds}s → $out" >&2
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
    nice -n 10 afl-fuzz -i "$here/corpus/$target" -o "$out" -t 10000 -m none -V "$seconds" ${FUZZ_EXECS:+-E "$FUZZ_EXECS"} \
    -- dotnet "$build/Conveyor.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 || { tail -20 "$out/afl.log" >&2; return 1; }
  local stats="$out/default/fuzzer_stats"
  local crashes hangs
  crashes="$(stat_of saved_crashes "$stats")"
  hangs="$(stat_of saved_hangs "$stats")"
  printf '%-18s execs=%s exec/s=%s paths=%s crashes=%s hangs=%s seconds=%s date=%s\n' "$target" \
    "$(stat_of execs_done "$stats")" "$(stat_of execs_per_sec "$stats")" "$(stat_of corpus_count "$stats")" \
    "$crashes" "$hangs" "$(stat_of run_time "$stats")" "$(date -u +%F)"
  if [ "${crashes:-0}" != 0 ] || [ "${hangs:-0}" != 0 ]; then
    echo "   findings: $out/default/crashes $out/default/hangs" >&2
  fi
}

[ $# -ge 1 ] || usage
if [ "$1" = list ]; then
  dotnet run --project "$here/Conveyor.Fuzz" -c Release -- list
  exit 0
fi
[ $# -eq 2 ] || usage
target="$1" seconds="$2"

ensure_tools
build_instrumented
if [ "$target" = all ]; then
  for t in $(dotnet "$build/Conveyor.Fuzz.dll" list); do
    fuzz_one "$t" "$seconds"
  done
else
  fuzz_one "$target" "$seconds"
fi
