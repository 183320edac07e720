# The gateway under measurement, shared by the load harness (bench/load/run.sh) and the soak (bench/soak/run.sh):
# the jar (built like ./gateway when stale), a private copy of it in WORK, the demo agent beside it, the gateway
# process on loopback ports, and the exit trap that stops everything started. Sourced after common.sh; not a script
# of its own.
#
# Reads: repo, WORK, BUILD, JAVA_HOME, GATEWAY_JAVA_OPTS, GATEWAY_ARGS, AGENT (process | inproc), PEER_RUN.
# Sets: after prepare_work: JAVA_HOME, java_bin, jcmd_bin, java_version, WORK (absolute); after prepare_jar: jar_note;
# after start_gateway: gw_pid, agent_pid, SIP_PORT, HTTP_PORT.

source "$repo/scripts/jdk.sh"

gw_pid=""; agent_pid=""; timeline_pid=""

# prepare_work: a JDK 21+ (Temurin 25 where installed) unless JAVA_HOME names one (scripts/jdk.sh), and WORK made
# absolute, checked empty and given its sipp and recordings directories.
prepare_work() {
  find_jdk || die "no JDK 21 or newer"
  maven_quiet_on_new_jdks
  java_bin="$JAVA_HOME/bin/java"; jcmd_bin="$JAVA_HOME/bin/jcmd"
  "$java_bin" -version >/dev/null 2>&1 || die "no java at $java_bin"
  java_version="$("$java_bin" -version 2>&1 | head -1)"
  mkdir -p "$WORK"
  WORK="$(cd "$WORK" && pwd)"
  [ -z "$(ls -A "$WORK" 2>/dev/null)" ] || die "WORK dir $WORK is not empty"
  mkdir -p "$WORK/sipp" "$WORK/recordings"
  log "work dir: $WORK"
}

# A jar is complete when it holds the main class (a concurrent `mvn` in the tree can leave a jar without it).
jar_complete() { python3 -c "import zipfile,sys; zipfile.ZipFile(sys.argv[1]).getinfo('gateway/bridge/Main.class')" "$1" 2>/dev/null; }

# prepare_jar: builds bridge/target/gateway.jar when BUILD=always, or BUILD=auto and it is missing or older than the
# sources, then copies it to WORK/gateway.jar so a rebuild during the run cannot change what runs.
prepare_jar() {
  local jar="$repo/bridge/target/gateway.jar"
  jar_note="up to date"
  stale() { [ ! -f "$jar" ] || ! jar_complete "$jar" \
    || [ -n "$(cd "$repo" && find pom.xml */pom.xml */src/main -newer "$jar" -print -quit 2>/dev/null)" ]; }
  build() { (cd "$repo" && mvn -q -B -ntp -DskipTests -Djacoco.skip package) >>"$WORK/build.log" 2>&1 && jar_complete "$jar"; }
  if [ "$BUILD" = always ] || { [ "$BUILD" = auto ] && stale; }; then
    log "building $jar (mvn -q -B -ntp -DskipTests -Djacoco.skip package) ..."
    if build || { log "build failed or jar incomplete; retrying once in 10 s"; sleep 10; build; }; then
      jar_note="built"
    elif [ -f "$jar" ] && jar_complete "$jar"; then
      jar_note="BUILD FAILED, used the existing (stale) jar; see build.log"
      log "WARNING: build failed (see $WORK/build.log); using the existing jar"
    else
      die "build failed, see $WORK/build.log"
    fi
  fi
  [ -f "$jar" ] && jar_complete "$jar" || die "no complete $jar (no gateway/bridge/Main.class); see $WORK/build.log"
  cp "$jar" "$WORK/gateway.jar"
}

# Stops everything started here; installed as the EXIT trap by install_cleanup.
cleanup() {
  local p
  [ -n "${agent_pid:-}" ] && kill -TERM "$agent_pid" 2>/dev/null || true
  for p in "${sipp_pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  [ -n "$timeline_pid" ] && kill -TERM "$timeline_pid" 2>/dev/null || true
  [ -n "$nap_pid" ] && kill -TERM "$nap_pid" 2>/dev/null || true
  if [ -n "$gw_pid" ] && kill -0 "$gw_pid" 2>/dev/null; then
    kill -TERM "$gw_pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$gw_pid" 2>/dev/null || true
  fi
  for p in "${sipp_pids[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
}
install_cleanup() {
  trap cleanup EXIT
  trap 'log "interrupted"; exit 130' INT TERM
}

# start_gateway RTP_MIN RTP_MAX: the demo agent (its own JVM under PEER_RUN unless AGENT=inproc) and the gateway on
# free loopback ports, recordings in WORK/recordings, log in WORK/gateway.log; returns once GET /health answers 200.
start_gateway() {
  local rtp_min="$1" rtp_max="$2" agent_args=() agent_port
  # The demo agent's port is checked free too (HTTP_PORT + 1 was once taken and the run died at the start).
  read -r SIP_PORT HTTP_PORT agent_port < <(free_ports 3 udp+tcp)
  ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
  log "starting gateway: $java_version, SIP 127.0.0.1:$SIP_PORT, HTTP $HTTP_PORT, RTP $rtp_min-$rtp_max"
  # AGENT=process (default): the demo agent runs as its own process, so the gateway's CPU and heap figures hold the
  # gateway alone; AGENT=inproc uses the gateway's in-process demo agent (no API key, no realtime.url) as ./gateway does.
  if [ "${AGENT:-process}" = process ]; then
    "${PEER_RUN[@]}" "$java_bin" -cp "$WORK/gateway.jar" gateway.demoagent.DemoAgentMain --port="$agent_port" \
      >"$WORK/agent.log" 2>&1 &
    agent_pid=$!
    for _ in $(seq 1 60); do grep -q "^ws://" "$WORK/agent.log" 2>/dev/null && break; sleep 0.25; done
    grep -q "^ws://" "$WORK/agent.log" || die "demo agent did not start; see $WORK/agent.log"
    # The agent stands in for a service on other machines. Under SCHED_IDLE on a box the ramp saturates it can get no
    # CPU for seconds, and at the default 5 s the gateway then refuses callers (realtime_unavailable) that a remote
    # service would have answered: 15 s keeps that artefact out of the run. GATEWAY_ARGS may set it back.
    agent_args=(--realtime.url="ws://127.0.0.1:$agent_port/v1/realtime?model=gpt-realtime"
      --realtime.connect-timeout-ms=15000)
    log "demo agent: separate process $agent_pid on port $agent_port"
  fi
  # shellcheck disable=SC2086,SC2046 # the JVM options and GATEWAY_ARGS are word lists
  env -u OPENAI_API_KEY -u GATEWAY_REALTIME_API_KEY -u GATEWAY_REALTIME_URL \
    "$java_bin" $(gateway_jvm_opts) $GATEWAY_JAVA_OPTS -jar "$WORK/gateway.jar" "${agent_args[@]}" \
    --sip.listen=127.0.0.1 --sip.public-host=127.0.0.1 --sip.port="$SIP_PORT" \
    --http.listen=127.0.0.1 --http.port="$HTTP_PORT" --recordings.dir="$WORK/recordings" \
    --rtp.port-min="$rtp_min" --rtp.port-max="$rtp_max" --shutdown.drain-seconds=0 $GATEWAY_ARGS \
    >"$WORK/gateway.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 1 120); do
    kill -0 "$gw_pid" 2>/dev/null || die "gateway exited at start-up; see $WORK/gateway.log"
    python3 -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/health', timeout=1)" \
      2>/dev/null && break
    sleep 0.5
  done
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$HTTP_PORT/health', timeout=2)" \
    2>/dev/null || die "gateway not healthy after 60 s; see $WORK/gateway.log"
  if [ "${AGENT:-process}" != process ]; then
    grep -qi "demo agent\|embedded" "$WORK/gateway.log" || log "WARNING: the gateway log does not mention the demo agent"
  fi
}

# stop_gateway: SIGTERM, 20 s, then SIGKILL; sets gw_exit.
stop_gateway() {
  log "stopping the gateway"
  kill -TERM "$gw_pid" 2>/dev/null || true
  for _ in $(seq 1 40); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$gw_pid" 2>/dev/null; then log "WARNING: gateway did not stop on SIGTERM in 20 s; killing"; kill -KILL "$gw_pid"; fi
  set +e; wait "$gw_pid"; gw_exit=$?; set -e
  gw_pid=""
}
