#!/usr/bin/env bash
# Publish-to-action latency at fixed rates (QoS 1 in, QoS 1 command out), through a real Mosquitto on loopback.
# The agent runs the example rules plus bench/e2e/latency-rule.yaml (no cooldown); bench/e2e/Latency.java publishes
# at each rate and times the command that comes back, on one clock.
#
# Usage: bench/e2e/latency.sh [--rates "100 1000 5000"] [--seconds 10] [--warmup 3] [--out FILE.json]
# Bounded: RATE * (seconds + warmup) messages per rate; every process is stopped on exit.
set -euo pipefail
source "$(dirname "$0")/common.sh"

rates="100 1000 5000"
seconds=10
warmup=3
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --rates) rates=$2; shift ;;
    --seconds) seconds=$2; shift ;;
    --warmup) warmup=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "latency: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bench_start
paho=$(ls "$(dirname "$AGENT_JAR")"/lib/org.eclipse.paho.client.mqttv3-*.jar | head -1)
mkdir -p "$work/classes" "$work/rules"
javac -d "$work/classes" -cp "$paho" "$REPO/bench/e2e/Latency.java"
cp "$REPO"/rules/*.yaml "$work/rules/"
cp "$REPO/bench/e2e/latency-rule.yaml" "$work/rules/bench-latency.yaml"

start_broker "$work"
write_config "$work" "$work/rules"
start_agent "$work"
results=()
for rate in $rates; do
  r=$(timeout $((seconds + warmup + 60)) java -Xmx256m -cp "$work/classes:$paho" Latency \
      "tcp://127.0.0.1:$BROKER_PORT" "$rate" "$seconds" "$warmup" 2>"$work/latency-$rate.err") \
      || { echo "latency: probe at $rate/s failed" >&2; cat "$work/latency-$rate.err" >&2; r="{\"rate\": $rate, \"error\": true}"; }
  echo "$r"
  results+=("$r")
done
rss=$(rss_mb "$AGENT_PID")
fired=$(curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '$1 ~ /^edge_rule_firings_total\{rule="bench-latency"/ {print int($2)}')
refused=$(curl -fs "http://127.0.0.1:$ADMIN_PORT/metrics" | awk '$1 ~ /^edge_action_runs_total\{outcome="refused"/ {print int($2)}')
stop_agent
if [ "${refused:-0}" -gt 0 ] && [ -n "$out" ]; then
  cp "$work/agent.log" "${out%.json}.agent.log" 2>/dev/null || true
fi
json="{\"agent_jvm\": \"$AGENT_JVM\", \"broker_profile\": \"$BROKER_PROFILE\", \"seconds\": $seconds, \"warmup_s\": $warmup, \"agent_rss_mb_end\": $rss, \"rule_firings\": ${fired:-0}, \"actions_refused\": ${refused:-0}, \"rates\": [$(IFS=,; echo "${results[*]}")]}"
[ -n "$out" ] && echo "$json" >"$out"
exit 0
