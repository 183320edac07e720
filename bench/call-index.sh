#!/usr/bin/env bash
# Measures the QA API's call index with synthetic calls: start-up build time, heap, and list/search latency.
# Usage: bench/call-index.sh [calls] [dir]   (defaults 100000 and /tmp/call-index-bench; the calls are written
# once, about 1 GB of call.json for 100000, and reused by later runs; JAVA_HOME selects the JDK)
# It runs the test-scope class gateway.library.CallIndexBench through Surefire (not in the test run).
# Result: bench/results/call-index.txt
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
calls="${1:-100000}"
dir="${2:-/tmp/call-index-bench}"
mkdir -p "$bench_dir/results"
result="$bench_dir/results/call-index.txt"
log="$root/call-library/target/call-index-bench.log"
source "$root/scripts/jdk.sh" && find_jdk
(cd "$root" && mvn -B -ntp -o -pl call-library -am test -Djacoco.skip -Dtest=CallIndexBench -Dsurefire.failIfNoSpecifiedTests=false \
  -DtrimStackTrace=false -Dcalls="$calls" -Ddir="$dir") > "$log" 2>&1 || { tail -50 "$log"; exit 1; }
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ); CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  sed -n '/^# call index benchmark/,/^walking every page/p' "$log"
} | tee "$result"
echo "Wrote $result (Maven log: $log)"
