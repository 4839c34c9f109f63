#!/usr/bin/env bash
# Store-and-forward benchmark: MQTT QoS 1 -> committed outbox (vs. mosquitto_sub on the same load, same run), drain
# rate of a backlog to an upstream Mosquitto, added latency at a moderate live rate, and the buffer file's size.
# Details of each phase: bench/StoreAndForwardBench.java. Bounded: every phase has a deadline, the whole run a
# TIMEOUT_S, and every process started here is stopped on exit.
#
# Needs: a build (./mvnw -B -q package -DskipTests), mosquitto and mosquitto_sub.
# Usage: bench/store-and-forward.sh [RESULT_FILE]      (default: bench/results/store-and-forward.md)
# Knobs: MESSAGES=100000, LATENCY_RATE=500 (msg/s), LATENCY_SECONDS=10, TIMEOUT_S=600
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
MESSAGES=${MESSAGES:-100000}
LATENCY_RATE=${LATENCY_RATE:-500}
LATENCY_SECONDS=${LATENCY_SECONDS:-10}
TIMEOUT_S=${TIMEOUT_S:-600}
result=${1:-bench/results/store-and-forward.md}
agent_dir=$repo/edge-agent/target
sim_jar=$repo/device-simulator/target/device-simulator.jar
# free_port and the mosquitto path come from the end-to-end benchmarks' helpers.
# shellcheck source=e2e/common.sh
. "$repo/bench/e2e/common.sh"
mosquitto=$MOSQUITTO
for f in "$agent_dir/classes" "$agent_dir/lib" "$sim_jar" "$mosquitto"; do
  [ -e "$f" ] || { echo "store-and-forward: $f not found (./mvnw -B -q package -DskipTests; apt-get install mosquitto)" >&2; exit 1; }
done
command -v mosquitto_sub >/dev/null || { echo "store-and-forward: mosquitto_sub not found (apt-get install mosquitto-clients)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT


# Two brokers: the site broker the devices publish to, and the upstream the uplink uploads to. max_inflight 1000
# matches buffer.maxBatch (acknowledgements wait for the checkpoint); no queue limit, so nothing is dropped.
start_broker() {
  local name=$1 port=$2
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_inflight_messages 1000\nmax_queued_messages 0\n' \
    "$port" >"$work/$name.conf"
  "$mosquitto" -c "$work/$name.conf" >"$work/$name.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return; sleep 0.05; done
  echo "store-and-forward: mosquitto $name did not start" >&2; exit 1
}
ingest_port=$(free_port); start_broker ingest "$ingest_port"
upstream_port=$(free_port); start_broker upstream "$upstream_port"

mkdir -p "$(dirname "$result")"
echo "store-and-forward: $MESSAGES messages; latency at $LATENCY_RATE msg/s for $LATENCY_SECONDS s (up to $TIMEOUT_S s)." >&2
EDGE_LOG_LEVEL=${EDGE_LOG_LEVEL:-WARN} timeout "$TIMEOUT_S" java -Xmx256m -XX:+UseSerialGC \
  -cp "$agent_dir/classes:$agent_dir/lib/*" bench/StoreAndForwardBench.java \
  "tcp://127.0.0.1:$ingest_port" "tcp://127.0.0.1:$upstream_port" "$sim_jar" \
  "$MESSAGES" "$LATENCY_RATE" "$LATENCY_SECONDS" >"$work/report.md"
{
  cat "$work/report.md"
  echo
  echo "Command: \`MESSAGES=$MESSAGES LATENCY_RATE=$LATENCY_RATE LATENCY_SECONDS=$LATENCY_SECONDS bench/store-and-forward.sh\`"
} >"$result"
cat "$result"
