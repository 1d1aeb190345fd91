#!/usr/bin/env bash
# Fuzzes Conveyor's readers with SharpFuzz + afl++ (docs/security.md, "Fuzzing").
#
#   bench/fuzz/run.sh TARGET SECONDS     one target for SECONDS
#   bench/fuzz/run.sh all SECONDS        every target, one after another, SECONDS each
#   bench/fuzz/run.sh list               the targets
#   FUZZ_EXECS=11000000 bench/fuzz/run.sh TARGET SECONDS   stops at that many executions or SECONDS, first reached
#   FUZZ_JOBS=6 bench/fuzz/run.sh TARGET SECONDS         six afl instances on one corpus (-M/-S), executions summed
#
# Builds bench/fuzz/Conveyor.Fuzz into $FUZZ_WORK/build (default /tmp/conveyor-fuzz), instruments the Conveyor
# assemblies under test with `sharpfuzz`, runs afl-fuzz on bench/fuzz/corpus/TARGET (nice 10),
# and prints execs, exec/s, paths (corpus count), crashes and hangs from afl's fuzzer_stats. Findings stay
# outside the repository, in $FUZZ_WORK/findings/TARGET-<time>/ (crashes/ and hangs/ hold the inputs); replay one
# on the uninstrumented build (the instrumented one needs afl's shared memory):
#   dotnet run --project bench/fuzz/Conveyor.Fuzz -c Release -- TARGET FILE|DIR
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
  local target="$1" seconds="$2" jobs="${FUZZ_JOBS:-1}"
  local out="$work/findings/$target-$(date -u +%Y%m%dT%H%M%SZ)"
  mkdir -p "$out"
  echo "== $target for ${seconds}s, $jobs instance(s) → $out" >&2
  # Several instances share one corpus (afl's -M/-S): worth it for targets that wait more than they compute.
  local per="" pids=() i name
  [ -n "${FUZZ_EXECS:-}" ] && per=$(( (FUZZ_EXECS + jobs - 1) / jobs ))
  for ((i = 0; i < jobs; i++)); do
    if [ "$jobs" -eq 1 ]; then name=default; role=(); elif [ "$i" -eq 0 ]; then name=main; role=(-M main); else name="s$i"; role=(-S "s$i"); fi
    AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 \
      nice -n 10 afl-fuzz -i "$here/corpus/$target" -o "$out" "${role[@]}" -t 10000 -m none -V "$seconds" ${per:+-E "$per"} \
      -- dotnet "$build/Conveyor.Fuzz.dll" "$target" >"$out/afl-$name.log" 2>&1 &
    pids+=($!)
  done
  local failed=0
  for i in "${!pids[@]}"; do wait "${pids[$i]}" || failed=1; done
  if [ "$failed" -ne 0 ]; then tail -20 "$out"/afl-*.log >&2; return 1; fi
  local execs=0 rate=0 crashes=0 hangs=0 paths=0 run=0 stats v
  for stats in "$out"/*/fuzzer_stats; do
    execs=$((execs + $(stat_of execs_done "$stats")))
    rate=$(awk -v a="$rate" -v b="$(stat_of execs_per_sec "$stats")" 'BEGIN { printf "%.0f", a + b }')
    crashes=$((crashes + $(stat_of saved_crashes "$stats")))
    hangs=$((hangs + $(stat_of saved_hangs "$stats")))
    v=$(stat_of corpus_count "$stats"); [ "$v" -gt "$paths" ] && paths=$v
    v=$(stat_of run_time "$stats"); [ "$v" -gt "$run" ] && run=$v
  done
  printf '%-18s execs=%s exec/s=%s paths=%s crashes=%s hangs=%s seconds=%s instances=%s date=%s\n' "$target" \
    "$execs" "$rate" "$paths" "$crashes" "$hangs" "$run" "$jobs" "$(date -u +%F)"
  if [ "$crashes" != 0 ] || [ "$hangs" != 0 ]; then
    echo "   findings: $out/*/crashes $out/*/hangs" >&2
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
