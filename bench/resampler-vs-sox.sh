#!/usr/bin/env bash
# Compares the gateway's 8k⇄24k resamplers with sox `rate -v` (libsoxr very high quality) on the same inputs in
# one run: passband ripple, image/alias rejection, round-trip SNR and CPU per sample. Needs sox on PATH.
# Usage: bench/resampler-vs-sox.sh          (JAVA_HOME selects the JDK; SKIP_BUILD=1 reuses the jar)
# Result: bench/results/resampler-vs-sox.txt
set -euo pipefail
bench_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$bench_dir")"
source "$root/scripts/jdk.sh"   # a JDK 21+ (Temurin 25 where installed) unless JAVA_HOME names one
find_jdk
maven_quiet_on_new_jdks
java_bin="$JAVA_HOME/bin/java"
command -v sox >/dev/null || { echo "sox is not installed (apt-get install sox)" >&2; exit 1; }

if [ -z "${SKIP_BUILD:-}" ]; then
  (cd "$root" && mvn -q -B -ntp -Pbench -pl bench -am package -DskipTests -Djacoco.skip)
fi
mkdir -p "$bench_dir/results"
result="$bench_dir/results/resampler-vs-sox.txt"
{
  echo "# $(date -u +%Y-%m-%dT%H:%MZ); CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores"
  "$java_bin" -cp "$bench_dir/target/benchmarks.jar" gateway.bench.ResamplerVsSox "$(command -v sox)"
} | tee "$result.tmp"
mv "$result.tmp" "$result"
echo "Wrote $result"
