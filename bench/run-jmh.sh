#!/usr/bin/env bash
# Builds the benchmarks jar and runs the JMH audio-path benchmarks with short settings sized for a small box.
# Usage: bench/run-jmh.sh [extra JMH args, e.g. a benchmark regex]
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run-jmh.sh      # another JDK (default: scripts/jdk.sh finds a JDK 21+)
#   SKIP_BUILD=1 bench/run-jmh.sh 'G711|Resampler'                      # reuse the jar, run a subset
# Result: bench/results/jmh-jdk<major>.txt (summary table with gc.alloc.rate.norm = bytes per operation);
# the full log, with per-iteration figures and the benchmarks' own counters, goes to bench/target/jmh-jdk<major>.log.
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
source "$root/scripts/jdk.sh"   # a JDK 21+ (Temurin 25 where installed) unless JAVA_HOME names one
find_jdk
maven_quiet_on_new_jdks
java_bin="$JAVA_HOME/bin/java"

if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$root" && mvn -q -B -ntp -Pbench -pl bench -am package -DskipTests -Djacoco.skip)
fi

version="$("$java_bin" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p')"
major="${version%%.*}"
mkdir -p "$bench_dir/results" "$bench_dir/target"
result="$bench_dir/results/jmh-jdk$major.txt"
log="$bench_dir/target/jmh-jdk$major.log"

# -f 1: one fork per benchmark; 3 × 1 s warm-up and 5 × 1 s measurement iterations; -prof gc adds allocation per op.
# The forks inherit this JVM's options, the gateway's own among them (scripts/jdk.sh gateway_jvm_opts).
# shellcheck disable=SC2046 # gateway_jvm_opts prints a word list
"$java_bin" $(gateway_jvm_opts) -jar "$bench_dir/target/benchmarks.jar" \
  -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc \
  -rf text -rff "$result.table" "$@" | tee "$log"

{
  echo "# JMH audio-path benchmarks: $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# JDK: $("$java_bin" -version 2>&1 | sed -n 2p)"
  echo "# JVM: $("$java_bin" -version 2>&1 | sed -n 3p); options: $(gateway_jvm_opts | tr '\n' ' ')"
  echo "# CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; settings: -f 1 -wi 3 -w 1s -i 5 -r 1s -prof gc $*"
  echo "# Score = ns/op (avgt); :gc.alloc.rate.norm rows = bytes allocated per op; the other gc.* rows are in the log."
  echo "# Counters printed by the benchmarks (the last of each benchmark):"
  awk '/^# Benchmark:/ { b = $3 } /^# (stats|recorder):/ { if (!(b in last)) order[n++] = b; last[b] = substr($0, 3) }
       END { for (i = 0; i < n; i++) print "#   " order[i] ": " last[order[i]] }' "$log"
  echo
  awk 'NR == 1 || $1 !~ /:/ || $1 ~ /:gc\.alloc\.rate\.norm$/' "$result.table"
} > "$result"
rm -f "$result.table"
echo "Wrote $result"
