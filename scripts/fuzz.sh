#!/usr/bin/env bash
# Fuzzes every parser of outside input with Jazzer, one target after the other:
#   scripts/fuzz.sh [TARGET...]     e.g. scripts/fuzz.sh SipDatagramFuzzTest
# A target is a @FuzzTest class (the table below); each fuzzes for gateway.testkit.FuzzInvariants.FUZZ_DURATION
# (2 minutes; Jazzer 0.24 reads the duration only from the annotation, so that constant is the knob). Inputs that find new code go to <module>/.cifuzz-corpus (not
# committed); a finding fails its target and is written by Jazzer next to the seeds, as
# <module>/src/test/resources/<package>/<Class>Inputs/<method>/crash-<sha1>: rename it after what it shows, fix the
# code, and it replays in every normal test run from then on. Each target's log is target/fuzz/<Class>.log; the
# summary (executions, corpus, findings) is printed at the end. The normal run (mvn test, ./test) only replays seeds.
# MVN overrides the Maven command (e.g. MVN="mvn -o" offline).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/jdk.sh
find_jdk
maven_quiet_on_new_jdks

# module:class of every fuzz target.
targets=(
  sip:SipDatagramFuzzTest
  sip:SipStreamFuzzTest
  sip:SipTlsFuzzTest
  sip:SipDigestFuzzTest
  sip:RegistrarResponseFuzzTest
  sip:SdpFuzzTest
  rtp:RtpReceiveFuzzTest
  rtp:SrtpUnprotectFuzzTest
  rtp:SrtcpUnprotectFuzzTest
  realtime-client:ServerEventFuzzTest
  config:ConfigFileFuzzTest
  qa-api:QueryFuzzTest
  qa-api:HttpRequestFuzzTest
  demo-agent:ClientEventFuzzTest
)
if [[ $# -gt 0 ]]; then
  wanted=" $* "
  selected=()
  for t in "${targets[@]}"; do
    [[ "$wanted" == *" ${t#*:} "* ]] && selected+=("$t")
  done
  targets=("${selected[@]}")
fi

mkdir -p target/fuzz
printf '%-22s %10s %8s %8s %s\n' target executions exec/s corpus findings > target/fuzz/summary.txt
status=0
for t in "${targets[@]}"; do
  module="${t%%:*}" class="${t#*:}" log="target/fuzz/${class}.log"
  echo "fuzz: $class ($module)" >&2
  # Jazzer fuzzes one @FuzzTest per JVM; JAZZER_FUZZ turns fuzzing on, the empty fuzz.argLine turns its hooks on.
  if JAZZER_FUZZ=1 ${MVN:-mvn} -B -ntp -Djacoco.skip -pl "$module" -am test -Dtest="$class" \
      -Dsurefire.failIfNoSpecifiedTests=false \
      "-Dfuzz.argLine=-XX:+EnableDynamicAgentLoading" >"$log" 2>&1; then
    findings=0
  else
    findings="$(grep -a -c 'Test unit written to' "$log" || true)"
    [[ "$findings" == 0 ]] && findings="build failed (see $log)"
    status=1
  fi
  done_line="$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  runs="$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+).*/\1/' <<<"$done_line")"
  secs="$(sed -E 's/^Done ([0-9]+) runs in ([0-9]+).*/\2/' <<<"$done_line")"
  corpus="$(grep -a -oE 'corp: [0-9]+' "$log" | tail -1 | cut -d' ' -f2 || true)"
  rate=""
  [[ -n "$runs" && -n "$secs" && "$secs" -gt 0 ]] && rate=$((runs / secs))
  printf '%-22s %10s %8s %8s %s\n' "$class" "${runs:-?}" "${rate:-?}" "${corpus:-?}" "$findings" \
    >> target/fuzz/summary.txt
done
cat target/fuzz/summary.txt
exit "$status"
