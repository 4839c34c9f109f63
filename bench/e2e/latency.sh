#!/usr/bin/env bash
# Publish-to-action latency at fixed rates (QoS 1 in, QoS 1 command out), through a real Mosquitto on loopback.
# The agent runs the example rules plus bench/e2e/latency-rule.yaml (no cooldown); bench/e2e/Latency.java publishes
# at each rate and times the command that comes back, on one clock.
# --node-red: then, in the same run, the same probe at the same rates against Node-RED (bench/node-red/: a headless
# flow mqtt in -> function -> mqtt out, QoS 1, doing what the bench rule does) on a fresh broker, with the agent
# stopped; the result gets a "node_red" section next to the agent's. Node-RED is installed from the npm registry on
# first use (bench/node-red/node-red.sh; needs node and npm).
#
# Usage: bench/e2e/latency.sh [--rates "100 1000 5000"] [--seconds 10] [--warmup 3] [--node-red] [--out FILE.json]
# Bounded: RATE * (seconds + warmup) messages per rate and subject; every process is stopped on exit.
set -euo pipefail
source "$(dirname "$0")/common.sh"
source "$REPO/bench/node-red/node-red.sh"

rates="100 1000 5000"
seconds=10
warmup=3
out=""
node_red=0
while [ $# -gt 0 ]; do
  case $1 in
    --rates) rates=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --out) out=$2; shift ;;
    --node-red) node_red=1 ;;
    *) echo "latency: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
# Before anything is timed: a first install must not overlap a measurement, and a failed one should stop the run early.
[ "$node_red" = 1 ] && node_red_install
bench_start
paho=$(ls "$(dirname "$AGENT_JAR")"/lib/org.eclipse.paho.client.mqttv3-*.jar | head -1)
mkdir -p "$work/classes" "$work/rules"
javac -d "$work/classes" -cp "$paho" "$REPO/bench/e2e/Latency.java"
cp "$REPO"/rules/*.yaml "$work/rules/"
cp "$REPO/bench/e2e/latency-rule.yaml" "$work/rules/bench-latency.yaml"

# probe_rates NAME: the probe at every rate against whatever answers on the broker now; one JSON object per rate,
# joined with commas, on stdout.
probe_rates() {
  local name=$1 rate r results=()
  for rate in $rates; do
    r=$(timeout $((seconds + warmup + 60)) java -Xmx256m -cp "$work/classes:$paho" Latency \
        "tcp://127.0.0.1:$BROKER_PORT" "$rate" "$seconds" "$warmup" 2>"$work/latency-$name-$rate.err") \
        || { echo "latency: $name probe at $rate/s failed" >&2; cat "$work/latency-$name-$rate.err" >&2; r="{\"rate\": $rate, \"error\": true}"; }
    echo "$name: $r" >&2
    results+=("$r")
  done
  (IFS=,; echo "${results[*]}")
}

start_broker "$work"
write_config "$work" "$work/rules"
start_agent "$work"
agent_rates=$(probe_rates agent)
rss=$(rss_mb "$AGENT_PID")
fired=$(curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '$1 ~ /^edge_rule_firings_total\{rule="bench-latency"/ {print int($2)}')
refused=$(curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '$1 ~ /^edge_action_runs_total\{outcome="refused"/ {print int($2)}')
stop_agent
if [ "${refused:-0}" -gt 0 ] && [ -n "$out" ]; then
  cp "$work/agent.log" "${out%.json}.agent.log" 2>/dev/null || true
fi
json="{\"agent_jvm\": \"$AGENT_JVM\", \"broker_profile\": \"$BROKER_PROFILE\", \"seconds\": $seconds, \"warmup_s\": $warmup, \"agent_rss_mb_end\": $rss, \"rule_firings\": ${fired:-0}, \"actions_refused\": ${refused:-0}, \"rates\": [$agent_rates]"

if [ "$node_red" = 1 ]; then
  # A fresh broker: the agent's session is persistent, so the old broker would go on queueing readings for it.
  kill -TERM "$BROKER_PID" 2>/dev/null || true
  wait "$BROKER_PID" 2>/dev/null || true
  start_broker "$work"
  start_node_red "$work"
  node_red_rates=$(probe_rates node-red)
  node_red_rss=$(rss_mb "$NODE_RED_PID")
  stop_node_red
  json="$json, \"node_red\": {\"version\": \"$(node_red_installed_version)\", \"node\": \"$(node -v)\", \"ready_ms\": $NODE_RED_READY_MS, \"rss_mb_end\": $node_red_rss, \"rates\": [$node_red_rates]}"
fi
json="$json}"
echo "$json"
[ -n "$out" ] && echo "$json" >"$out"
exit 0
