#!/usr/bin/env bash
# Runs the whole `npm test` several times while busy loops take CPU beside it, to show that no test depends on how
# busy the machine is. Prints one line per run (the test counts vitest reported and the exit code), then
# `N passed, N failed` over the runs.
# Usage: bash scripts/stress-tests.sh [runs, default 5] [busy loops, default 2]
# Each run's full output is kept in $STRESS_LOG_DIR (default: a temporary folder, named at the end).
set -uo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
loops="${2:-2}"
logs="${STRESS_LOG_DIR:-$(mktemp -d -t lambda-meter-stress-XXXXXX)}"
mkdir -p "$logs"

busy=()
stop_busy() {
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null; done
  wait "${busy[@]}" 2>/dev/null
}
trap stop_busy EXIT INT TERM
for _ in $(seq 1 "$loops"); do
  node -e "for(;;){}" &
  busy+=("$!")
done
echo "== $runs runs of npm test on node $(node --version), $(nproc) cores, $loops busy loops beside it (pids ${busy[*]})"

passed=0
failed=0
for run in $(seq 1 "$runs"); do
  log="$logs/run-$run.log"
  started=$SECONDS
  npm test >"$log" 2>&1
  code=$?
  seconds=$((SECONDS - started))
  # vitest's summary line, without colours: "Tests  858 passed (858)" or "Tests  1 failed | 857 passed (858)".
  summary="$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +' | head -1 | sed -E 's/^ +Tests +//')"
  if [ "$code" -eq 0 ]; then
    passed=$((passed + 1))
    verdict=passed
  else
    failed=$((failed + 1))
    verdict=FAILED
  fi
  echo "run $run/$runs: $verdict in ${seconds} s (npm test exit $code; vitest: ${summary:-no summary})"
  if [ "$code" -ne 0 ]; then
    sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ *(FAIL|×)|AssertionError|Error:' | head -10 | sed 's/^/    /'
  fi
done
echo "logs: $logs"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
