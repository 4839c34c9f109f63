# Shared helpers of the end-to-end benchmarks; sourced, not run. Every process started here is recorded in PIDS
# and stopped by bench_cleanup (installed as an EXIT trap by the caller). Loopback addresses only.
# shellcheck shell=bash

REPO=${REPO:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
AGENT_JAR=${AGENT_JAR:-$REPO/edge-agent/target/edge-agent.jar}
SIM_JAR=${SIM_JAR:-$REPO/device-simulator/target/device-simulator.jar}
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
# The JVM options the Debian package runs the agent with (packaging/default/edge-agent), less the crash-file path
# of the installed system; the benchmarks measure what a Raspberry Pi runs. Override AGENT_JVM to compare.
package_jvm_options() {
  sed -n 's/^EDGE_AGENT_JAVA_OPTS="\(.*\)"$/\1/p' "$REPO/packaging/default/edge-agent" | tr ' ' '\n' \
    | grep -v '^-XX:ErrorFile=' | paste -sd ' ' -
}
AGENT_JVM=${AGENT_JVM:-$(package_jvm_options)}
# The Debian package builds a class archive at install time and its launcher hands it to the JVM
# (edge-agent class-archive, docs/operations.md), so the benchmarks do the same: one archive per jar build, Java
# build and JVM option set, made before anything is timed. CLASS_ARCHIVE=none measures without one.
CLASS_ARCHIVE=${CLASS_ARCHIVE:-package}
# class_archive_option OPTIONS: prints -XX:SharedArchiveFile=... for an agent run with OPTIONS (nothing with
# CLASS_ARCHIVE=none), building the archive first when it does not exist yet.
class_archive_option() {
  # No package options (the JVM's defaults) means no package archive either.
  { [ "$CLASS_ARCHIVE" = none ] || [ -z "$1" ]; } && return 0
  local key file
  key=$( { echo "$1"; stat -c '%s %Y %n' "$AGENT_JAR" "$(dirname "$AGENT_JAR")"/lib/*.jar; java -version 2>&1; } \
    | sha1sum | cut -c1-12)
  file=$(dirname "$AGENT_JAR")/bench-classes-$key.jsa
  if [ ! -f "$file" ]; then
    # shellcheck disable=SC2086
    java $1 -jar "$AGENT_JAR" class-archive --output "$file" >&2 || { echo "bench: no class archive" >&2; return 1; }
  fi
  echo "-XX:SharedArchiveFile=$file"
}
# Mosquitto per-client limits: "tuned" (default) or "default" (Mosquitto's own 20 in flight / 1000 queued).
BROKER_PROFILE=${BROKER_PROFILE:-tuned}
PIDS=()

bench_require() {
  for f in "$AGENT_JAR" "$SIM_JAR" "$MOSQUITTO"; do
    [ -e "$f" ] || { echo "bench: $f not found (build: ./mvnw -B -q package -DskipTests; apt-get install mosquitto)" >&2; exit 1; }
  done
  command -v mosquitto_sub >/dev/null || { echo "bench: mosquitto_sub not found (apt-get install mosquitto-clients)" >&2; exit 1; }
  command -v curl >/dev/null || { echo "bench: curl not found" >&2; exit 1; }
}

# bench_start: checks the tools, makes $work (a scratch directory) and stops every started process and removes $work
# on exit.
bench_start() {
  bench_require
  work=$(mktemp -d)
  trap 'bench_cleanup; rm -rf "$work"' EXIT
}

bench_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  PIDS=()
}

now_ms() { date +%s%3N; }
now_ns() { date +%s%N; }

free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 20000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "bench: no free port found" >&2; exit 1
}

# wait_for SECONDS CMD...: polls CMD every 20 ms; returns 1 when SECONDS pass first.
wait_for() {
  local deadline=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do
    [ "$(now_ms)" -gt "$deadline" ] && return 1
    sleep 0.02
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# start_broker DIR: Mosquitto on a free loopback port; sets BROKER_PORT and BROKER_PID.
# tuned: max_inflight_messages 1000 matches the agent's buffer.maxBatch: the agent acknowledges a message only after
# the checkpoint that covers it, so the broker's in-flight window is what one group commit can cover; with 20 the
# agent waits for the broker far more often. max_queued_messages 0 (no limit) because with a limit Mosquitto drops
# QoS 1 messages beyond it for a subscriber that is behind, which would make a slower subscriber look like it lost
# data rather than fall behind. default: Mosquitto 2.0's defaults (20 and 1000), to show what they cost.
start_broker() {
  local dir=$1
  BROKER_PORT=$(free_port)
  {
    echo "listener $BROKER_PORT 127.0.0.1"
    echo "allow_anonymous true"
    echo "persistence false"
    echo "log_dest stderr"
    echo "log_type error"
    echo "log_type warning"
    if [ "$BROKER_PROFILE" = tuned ]; then
      echo "max_inflight_messages 1000"
      echo "max_queued_messages 0"
    fi
  } >"$dir/mosquitto.conf"
  "$MOSQUITTO" -c "$dir/mosquitto.conf" >"$dir/mosquitto.log" 2>&1 &
  BROKER_PID=$!
  PIDS+=("$BROKER_PID")
  wait_for 10 port_open "$BROKER_PORT" || { echo "bench: mosquitto did not start" >&2; cat "$dir/mosquitto.log" >&2; exit 1; }
}

# write_config DIR RULES_DIR: a minimal agent configuration (everything else at its documented default).
write_config() {
  local dir=$1 rules=$2
  ADMIN_PORT=$(free_port)
  mkdir -p "$dir/data"
  cat >"$dir/config.yaml" <<EOF
broker:
  url: tcp://127.0.0.1:$BROKER_PORT
  clientId: bench-agent
inputs:
  - name: readings
    topic: sensors/+/+
    format: json
    event: reading
  - name: locations
    topic: trackers/+/location
    format: json
    event: location
rules:
  directory: $rules
  watch: false
geofences:
  depot: {lat: 52.5200, lon: 13.4050, radius: 300, margin: 10}
data:
  directory: $dir/data
admin:
  port: $ADMIN_PORT
EOF
}

ready() { curl -fs --max-time 5 -o /dev/null "http://127.0.0.1:$ADMIN_PORT/ready" 2>/dev/null; }

# start_agent DIR: starts the agent on DIR/config.yaml and waits for /ready; sets AGENT_PID and READY_MS (JVM
# launch to /ready answering 200: buffer open, rules deployed, ingest connected).
start_agent() {
  local dir=$1 started archive
  archive=$(class_archive_option "$AGENT_JVM")
  started=$(now_ms)
  # shellcheck disable=SC2086
  EDGE_LOG_PATTERN='%d{HH:mm:ss.SSS} %-5level %logger{0}: %msg%n' EDGE_LOG_LEVEL=${AGENT_LOG_LEVEL:-INFO} \
    java $archive $AGENT_JVM -jar "$AGENT_JAR" run --config "$dir/config.yaml" 2>"$dir/agent.log" >/dev/null &
  AGENT_PID=$!
  PIDS+=("$AGENT_PID")
  wait_for 90 ready || { echo "bench: agent not ready within 90 s" >&2; tail -20 "$dir/agent.log" >&2; exit 1; }
  READY_MS=$(( $(now_ms) - started ))
  # On a shared machine the CPU the start took varies less than its wall time: the steadier figure for an A/B.
  READY_CPU_MS=$(( $(cpu_ticks "$AGENT_PID") * 1000 / $(getconf CLK_TCK) ))
}

stop_agent() {
  kill -TERM "$AGENT_PID" 2>/dev/null || true
  wait "$AGENT_PID" 2>/dev/null || true
}

# metric NAME: the value of an unlabelled sample from /metrics (0 when absent).
metric() {
  curl -fs --max-time 5 "http://127.0.0.1:$ADMIN_PORT/metrics" 2>/dev/null | awk -v n="$1" '$1 == n {print int($2); f=1} END {if (!f) print 0}'
}

rss_mb() { awk '/^VmRSS:/ {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_mb() { awk '/^VmHWM:/ {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }
# CPU time (user + system) a process has used, in clock ticks of getconf CLK_TCK.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU time (user + system) of each thread of a process in clock ticks, summed by name (the kernel keeps 15 characters
# of it, so Paho's "MQTT Rec: <client>" threads of one client add up): "ticks<TAB>name" lines. The name in
# /proc/<pid>/task/*/stat is in parentheses and may hold spaces, hence the fields after the last ")".
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\n' "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')" "$(cat "$t/comm" 2>/dev/null)"
  done | awk -F'\t' '$1 != "" {a[$2] += $1} END {for (k in a) print a[k] "\t" k}'
}
# thread_cpu_json BEFORE AFTER: the CPU milliseconds each thread used between two thread_ticks snapshots, as a JSON
# object, busiest first, threads under 20 ms left out (threads that ended in between are not counted).
thread_cpu_json() {
  awk -F'\t' -v hz="$(getconf CLK_TCK)" 'NR == FNR {b[$2] = $1; next} {d = ($1 - b[$2]) * 1000 / hz; if (d >= 20) print d "\t" $2}' \
      <(echo "$1") <(echo "$2") | sort -rn |
    awk -F'\t' 'BEGIN {printf "{"} {gsub(/["\\]/, "", $2); printf "%s\"%s\": %d", (NR > 1 ? ", " : ""), $2, $1} END {printf "}"}'
}
# Java heap in use after the last GC and committed, MB (jstat; "?" when unavailable).
heap_mb() {
  jstat -gc "$1" 2>/dev/null | awk 'NR==2 {printf "%d/%d", ($3+$4+$6+$8)/1024, ($1+$2+$5+$7)/1024}' || echo "?"
}

# simulate ARGS...: the device simulator, bounded by the caller's --max-messages/--duration; JSON summary on stdout.
simulate() {
  java -Xmx128m -XX:+UseSerialGC -jar "$SIM_JAR" run --broker "tcp://127.0.0.1:$BROKER_PORT" --quiet --json "$@"
}

machine_line() {
  echo "$(java -version 2>&1 | head -1 | tr -d '"'); $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)); $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MB RAM; $(uname -sr); mosquitto $("$MOSQUITTO" -h 2>/dev/null | awk 'NR==1 {print $3}')"
}
