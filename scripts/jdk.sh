# Sourced by ./gateway, ./test and the bench scripts: points JAVA_HOME (and PATH) at a JDK of version 21 or newer.
# Order: JAVA_HOME if it is 21+, then Temurin 25 and other JDKs under /usr/lib/jvm (newest first), then `java` on PATH.
# Elsewhere, install a JDK 21 or newer (Temurin 25 is what CI and the container use) or set JAVA_HOME to one.

readonly GATEWAY_MIN_JAVA=21

jdk_feature_version() { # prints the feature version of the JDK at $1 (e.g. 25), or nothing
  [[ -x "$1/bin/java" && -x "$1/bin/javac" ]] || return 0
  "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -1
}

jdk_ok() {
  local v
  v="$(jdk_feature_version "$1")"
  [[ -n "$v" && "$v" -ge "$GATEWAY_MIN_JAVA" ]]
}

find_jdk() {
  if [[ -n "${JAVA_HOME:-}" ]] && jdk_ok "$JAVA_HOME"; then
    :
  else
    local candidate found=""
    for candidate in /usr/lib/jvm/temurin-25-jdk* $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
      candidate="${candidate%/}"
      if jdk_ok "$candidate"; then found="$candidate"; break; fi
    done
    if [[ -z "$found" ]] && command -v javac >/dev/null 2>&1; then
      candidate="$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")"
      if jdk_ok "$candidate"; then found="$candidate"; fi
    fi
    if [[ -z "$found" ]]; then
      echo "No JDK $GATEWAY_MIN_JAVA or newer found (JAVA_HOME=${JAVA_HOME:-unset}, /usr/lib/jvm, PATH)." >&2
      echo "Install one (Temurin 25: https://adoptium.net, or Debian's openjdk-21-jdk) or set JAVA_HOME to it." >&2
      return 1
    fi
    export JAVA_HOME="$found"
  fi
  export PATH="$JAVA_HOME/bin:$PATH"
}

# The gateway's own JVM options for the JDK at JAVA_HOME (./gateway and the bench harnesses start it with them, ahead
# of GATEWAY_JAVA_OPTS, which can override them). Netty reads and writes its pooled direct buffers through
# sun.misc.Unsafe when the JVM lets it; from JDK 25 it does so only when the JVM allows Unsafe's memory access, and
# otherwise goes through NIO views that check the memory session on every access (BENCHMARKS.md, sixteenth
# session). The option exists from JDK 23 (JEP 471); JDK 21 needs none.
gateway_jvm_opts() {
  local v
  v="$(jdk_feature_version "$JAVA_HOME")"
  if [[ -n "$v" && "$v" -ge 23 ]]; then
    printf '%s\n' "--sun-misc-unsafe-memory-access=allow"
  fi
}

# Maven 3.8's own Guava calls sun.misc.Unsafe, which JDK 24+ warns about on every run; allow it for Maven's JVM only.
maven_quiet_on_new_jdks() {
  local v
  v="$(jdk_feature_version "$JAVA_HOME")"
  if [[ -n "$v" && "$v" -ge 24 && "${MAVEN_OPTS:-}" != *sun-misc-unsafe-memory-access* ]]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
  fi
}
