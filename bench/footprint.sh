#!/usr/bin/env bash
# Footprint of the agent: time from JVM start to ready, and resident memory idle and at a steady load, for a list
# of JVM option sets. Bounded and self-stopping: every process it starts is stopped on exit.
#
# Needs: a build (./mvnw -q package -DskipTests), mosquitto (/usr/sbin/mosquitto), bash, awk.
# Usage:   bench/footprint.sh [RESULT_FILE]          (default: bench/results/footprint.txt)
# Knobs:   RATE=1000 (messages/s during the load phase), IDLE_SECONDS=15, LOAD_SECONDS=30, RUNS=1,
#          OPTION_SETS='<the package's options>|' (sets separated by '|'; an empty set = the JVM's defaults),
#          UPLINK=none (config.yaml's: off) or mqtt (the MQTT uplink on, to the same Mosquitto),
#          AGENT_JAR=edge-agent/target/edge-agent.jar (another layout, e.g. bench/kafka-footprint.sh's without Kafka).
# "Ready" is GET /ready answering 200 (buffer open, rules loaded, ingest connected) when curl is installed, else
# the agent's log lines "MQTT ingest connected" and "Loaded N rules".
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

RATE=${RATE:-1000}
IDLE_SECONDS=${IDLE_SECONDS:-15}
LOAD_SECONDS=${LOAD_SECONDS:-30}
RUNS=${RUNS:-1}
UPLINK=${UPLINK:-none}
result=${1:-bench/results/footprint.txt}
simulator_jar=$repo/device-simulator/target/device-simulator.jar
# free_port, now_ms, the mosquitto path, the package's JVM options and AGENT_JAR come from the end-to-end benchmarks'
# helpers.
# shellcheck source=e2e/common.sh
. "$repo/bench/e2e/common.sh"
agent_jar=$AGENT_JAR
OPTION_SETS=${OPTION_SETS:-"$(package_jvm_options)|"}
mosquitto=$MOSQUITTO

for f in "$agent_jar" "$simulator_jar" "$mosquitto"; do
  [ -e "$f" ] || { echo "footprint: $f not found (build with ./mvnw -q package -DskipTests; apt-get install mosquitto)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT


rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

# Waits until "$2" (a command) succeeds, for at most $1 seconds; fails the run otherwise.
wait_for() {
  local deadline=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do
    if [ "$(now_ms)" -gt "$deadline" ]; then return 1; fi
    sleep 0.02
  done
}

ready_by_log() { grep -q "MQTT ingest connected" "$1" && grep -q "Loaded [0-9]* rules" "$1"; }
ready_by_http() { curl -fs -o /dev/null "http://127.0.0.1:$1/ready" 2>/dev/null; }

measure() {  # $1 = JVM options, $2 = run number
  local opts=$1 run=$2 mqtt_port admin_port dir log agent started ready idle_rss load_max hwm sim_pid messages
  mqtt_port=$(free_port); admin_port=$(free_port)
  dir=$work/run-$run-$RANDOM; mkdir -p "$dir/data"
  "$mosquitto" -p "$mqtt_port" >"$dir/mosquitto.log" 2>&1 &
  local broker=$!
  pids+=("$broker")
  wait_for 10 bash -c "(exec 3<>/dev/tcp/127.0.0.1/$mqtt_port) 2>/dev/null"
  sed -e "s#tcp://127.0.0.1:1883#tcp://127.0.0.1:$mqtt_port#" -e "s#^  directory: rules #  directory: $repo/rules #" \
      -e "s#^  directory: data #  directory: $dir/data #" -e "s#^  port: 8484#  port: $admin_port#" \
      config.yaml >"$dir/config.yaml"
  if [ "$UPLINK" = mqtt ]; then
    sed -i -e "/^uplink:/,/^[a-z]/{s#^  enabled: false#  enabled: true#; s#^  url: \"\"#  url: tcp://127.0.0.1:$mqtt_port#}" \
        "$dir/config.yaml"
  fi
  log=$dir/agent.log
  local archive
  archive=$(class_archive_option "$opts")
  started=$(now_ms)
  # shellcheck disable=SC2086
  EDGE_LOG_PATTERN='%-5level %logger{0}: %msg%n' java $archive $opts -jar "$agent_jar" run --config "$dir/config.yaml" 2>"$log" &
  agent=$!
  pids+=("$agent")
  if command -v curl >/dev/null; then
    wait_for 60 ready_by_http "$admin_port" || { echo "footprint: agent not ready in 60 s" >&2; cat "$log" >&2; exit 1; }
  else
    wait_for 60 ready_by_log "$log" || { echo "footprint: agent not ready in 60 s" >&2; cat "$log" >&2; exit 1; }
  fi
  ready=$(( $(now_ms) - started ))

  sleep "$IDLE_SECONDS"
  idle_rss=$(rss_kb "$agent")

  # 100 generic sensors at RATE/100 messages/s each.
  java -Xmx64m -jar "$simulator_jar" run --broker "tcp://127.0.0.1:$mqtt_port" --devices 100 \
      --rate "$(awk -v r="$RATE" 'BEGIN {print r / 100}')" --duration "${LOAD_SECONDS}s" --seed 7 --quiet \
      >"$dir/simulator.log" 2>&1 &
  sim_pid=$!
  pids+=("$sim_pid")
  load_max=0
  local samples=() s
  while kill -0 "$sim_pid" 2>/dev/null; do
    sleep 1
    s=$(rss_kb "$agent"); samples+=("$s")
    [ "$s" -gt "$load_max" ] && load_max=$s
  done
  local steady=${samples[$(( ${#samples[@]} - 1 ))]:-0} median
  # The median of the second half of the load phase: the steady state, after the JIT compiler's and the rule
  # compiler's transient peaks (those show in load_max and peak).
  median=$(printf '%s\n' "${samples[@]:$(( ${#samples[@]} / 2 ))}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]+0}')
  hwm=$(hwm_kb "$agent")
  local cpu_ticks
  cpu_ticks=$(awk '{print $14 + $15}' "/proc/$agent/stat")
  kill -TERM "$agent"; wait "$agent" || true
  messages=$(sed -n 's/.*edge-agent stopped: \([0-9]*\) messages in.*/\1/p' "$log")
  kill "$broker" 2>/dev/null || true
  wait "$broker" 2>/dev/null || true
  pids=()

  printf '%-32s %3s %9s %11s %14s %14s %14s %12s %10s %10s\n' "${opts:-(JVM defaults)}${archive:+ (class archive)}" \
      "$run" "$ready" "$((idle_rss / 1024))" "$((median / 1024))" "$((steady / 1024))" "$((load_max / 1024))" \
      "$((hwm / 1024))" "${messages:-?}" "$((cpu_ticks / $(getconf CLK_TCK)))"
}

{
  echo "# bench/footprint.sh, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo "# $(java -version 2>&1 | head -1); $(nproc) CPUs; $(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo) MB RAM; $(uname -m)"
  echo "# ready = JVM start to ready (ms); idle = RSS ${IDLE_SECONDS} s after ready; load = ${RATE} msg/s for ${LOAD_SECONDS} s"
  echo "# (100 simulated sensors, QoS 1, example rules): RSS median of the second half, at the end, highest 1 s sample;"
  echo "# peak = VmHWM. \"(class archive)\": with the archive the package builds (CLASS_ARCHIVE=none: without)."
  echo "# uplink: $UPLINK; agent: $agent_jar"
  printf '%-32s %3s %9s %11s %14s %14s %14s %12s %10s %10s\n' "JVM options" "run" "ready_ms" "idle_rss_MB" \
      "load_median_MB" "load_rss_MB" "load_max_MB" "peak_rss_MB" "messages" "cpu_s"
  IFS='|' read -r -a sets <<<"$OPTION_SETS"
  [ "${OPTION_SETS: -1}" = "|" ] && sets+=("")
  for opts in "${sets[@]}"; do
    for run in $(seq 1 "$RUNS"); do measure "$opts" "$run"; done
  done
} | tee "$result.tmp"
mv "$result.tmp" "$result"
