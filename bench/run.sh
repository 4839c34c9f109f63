#!/usr/bin/env bash
# The benchmark suite's single entry point. Builds what is missing, runs the chosen parts, writes one result file per
# part to bench/results/ and prints a summary table (also written to bench/results/summary.md).
#
# Usage: bench/run.sh [--quick] [--summary] [PART...]
#   PART: throughput | devices | cpu | memory | latency | rules | footprint | store-and-forward | kafka |
#         kafka-footprint | micro | all (default: all)
#   --quick: a smoke run (fewer messages, shorter phases, 1-iteration JMH): checks the suite works, figures are rough.
#   --summary: run nothing; print the summary of the result files already in bench/results/.
# Needs: Java 17+, mosquitto + mosquitto-clients, curl, bash, awk. Only loopback addresses; every load is bounded by a
# message count and a deadline; every process started is stopped on exit. About 25 minutes for "all".
# Take figures on a quiet machine: the script warns when the load average is above 0.5 or other JVMs are running.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
RESULTS=$REPO/bench/results
mkdir -p "$RESULTS"

quick=0
summary_only=0
parts=()
for a in "$@"; do
  case $a in
    --quick) quick=1 ;;
    --summary) summary_only=1 ;;
    all|throughput|devices|cpu|memory|latency|rules|footprint|store-and-forward|kafka|kafka-footprint|micro) parts+=("$a") ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown argument $a (see --help)" >&2; exit 2 ;;
  esac
done
[ ${#parts[@]} -eq 0 ] && parts=(all)
want() { local p; for p in "${parts[@]}"; do [ "$p" = all ] || [ "$p" = "$1" ] && return 0; done; return 1; }

if [ "$quick" = 1 ]; then
  export MESSAGES=20000 TIMEOUT_S=60
  lat_args=(--rates "100 1000" --seconds 3 --warmup 1)
  jmh_args=(-wi 1 -w 1 -i 1 -r 1)
  rule_counts="1 20"
else
  export MESSAGES=${MESSAGES:-200000} TIMEOUT_S=${TIMEOUT_S:-150}
  lat_args=(--rates "100 1000 5000" --seconds 10 --warmup 3)
  jmh_args=()
  rule_counts="1 20 200"
fi

# Build: the agent and simulator jars; the JMH module (profile "bench") only for the micro benchmarks.
if [ "$summary_only" = 0 ] && { [ ! -f edge-agent/target/edge-agent.jar ] || [ ! -f device-simulator/target/device-simulator.jar ]; }; then
  ./mvnw -B -q package -DskipTests
fi
if [ "$summary_only" = 0 ] && want micro && [ ! -f bench/jmh/target/classes/META-INF/BenchmarkList ]; then
  ./mvnw -B -q -Pbench package -DskipTests
fi

load=$(awk '{print $1}' /proc/loadavg)
others=$( (pgrep -x java 2>/dev/null || true) | wc -l)
if [ "$summary_only" = 0 ] && { awk -v l="$load" 'BEGIN {exit !(l > 0.5)}' || [ "$others" -gt 0 ]; }; then
  echo "run.sh: warning: load average $load and $others other java processes: figures will be noisy" >&2
fi
source bench/e2e/common.sh
stamp=$(date -u +%Y-%m-%dT%H:%MZ)
machine=$(machine_line)
echo "# bench/run.sh ${parts[*]}$([ "$quick" = 1 ] && echo ' --quick'), $stamp" >&2
echo "# $machine" >&2

# jget FILE KEY: a number or string value of KEY from a flat JSON file ("?" when absent).
jget() { grep -o "\"$2\": *[^,}]*" "$1" 2>/dev/null | head -1 | sed 's/^[^:]*: *//; s/"//g' || echo "?"; }
rows=()
row() { rows+=("$(printf '| %s | %s | %s |' "$1" "$2" "$3")"); }

# Each part writes its result files; the summary is built from the files at the end (also with --summary alone).
if [ "$summary_only" = 0 ]; then
  if want throughput; then
    echo "== throughput: example rules, agent at $AGENT_JVM" >&2
    bench/e2e/throughput.sh --label example-rules --out "$RESULTS/throughput.json" >/dev/null
    echo "== throughput: example rules, the package's options at -Xmx512m (is the limit memory?)" >&2
    AGENT_JVM="$(package_jvm_options | sed 's/-Xmx[0-9]*m/-Xmx512m/')" bench/e2e/throughput.sh --no-baseline \
        --label example-rules-xmx512m --out "$RESULTS/throughput-xmx512m.json" >/dev/null
    echo "== throughput: example rules, the package's options with the optimising JIT compiler (C2) too" >&2
    AGENT_JVM="$(package_jvm_options | sed 's/ -XX:TieredStopAtLevel=1//')" bench/e2e/throughput.sh --no-baseline \
        --label example-rules-c2 --out "$RESULTS/throughput-c2.json" >/dev/null
  fi
  if want devices; then
    echo "== throughput: example rules, 10,000 devices, agent at $AGENT_JVM (compare with the 100-device run)" >&2
    DEVICES=10000 bench/e2e/throughput.sh --no-baseline --label example-rules-10000-devices \
        --out "$RESULTS/throughput-10000-devices.json" >/dev/null
  fi
  if want cpu; then
    echo "== pipeline CPU per message: decode, H2 buffer, example rules (bench/e2e/PipelineCost.java)" >&2
    # shellcheck disable=SC2046
    java $(package_jvm_options) \
        -cp "edge-agent/target/edge-agent.jar:edge-agent/target/lib/*" bench/e2e/PipelineCost.java \
        "$([ "$quick" = 1 ] && echo 30000 || echo 300000)" 1000 rules 2>/dev/null | tail -1 >"$RESULTS/pipeline-cost.json"
  fi
  if want memory; then
    echo "== heap per device of each example rule (bench/e2e/memory-per-device.sh)" >&2
    DEVICES="$([ "$quick" = 1 ] && echo 1000 || echo 10000)" bench/e2e/memory-per-device.sh rules >"$RESULTS/memory-per-device.md"
  fi
  if want rules; then
    echo "== rules at scale: $rule_counts" >&2
    bench/e2e/rules-scale.sh --counts "$rule_counts" --out "$RESULTS/rules-scale.json" >/dev/null
  fi
  if want latency; then
    # The Node-RED row needs node and npm (Node-RED is installed from the npm registry on first use).
    if command -v npm >/dev/null; then
      lat_args+=(--node-red)
    else
      echo "run.sh: npm not found; the latency part runs without the Node-RED row" >&2
    fi
    echo "== latency: ${lat_args[*]}" >&2
    bench/e2e/latency.sh "${lat_args[@]}" --out "$RESULTS/latency.json" >/dev/null
  fi
  if want footprint; then
    if [ -f bench/footprint.sh ]; then
      echo "== footprint (bench/footprint.sh)" >&2
      env -u MESSAGES -u TIMEOUT_S RUNS="${RUNS:-1}" bash bench/footprint.sh "$RESULTS/footprint.txt" >/dev/null
      echo "== footprint without the class archive" >&2
      env -u MESSAGES -u TIMEOUT_S RUNS="${RUNS:-1}" CLASS_ARCHIVE=none OPTION_SETS="$(package_jvm_options)" \
          bash bench/footprint.sh "$RESULTS/footprint-no-archive.txt" >/dev/null
    else
      echo "run.sh: bench/footprint.sh not found; skipping footprint" >&2
    fi
  fi
  if want store-and-forward; then
    if [ -f bench/store-and-forward.sh ]; then
      echo "== store and forward (bench/store-and-forward.sh)" >&2
      env -u MESSAGES -u TIMEOUT_S bash bench/store-and-forward.sh "$RESULTS/store-and-forward.md" >/dev/null
    else
      echo "run.sh: bench/store-and-forward.sh not found; skipping" >&2
    fi
  fi
  if want kafka; then
    # Its own deadline: a broker start and two drains of MESSAGES take minutes, more than a TIMEOUT_S phase.
    echo "== Kafka drain vs Kafka's ProducerPerformance (bench/kafka-drain.sh)" >&2
    env -u TIMEOUT_S bash bench/kafka-drain.sh "$RESULTS/kafka-drain.json" >/dev/null
  fi
  if want kafka-footprint; then
    echo "== footprint with and without the Kafka client's jars (bench/kafka-footprint.sh)" >&2
    env -u MESSAGES -u TIMEOUT_S bash bench/kafka-footprint.sh "$RESULTS/kafka-footprint.txt" >/dev/null
  fi
  if want micro; then
    echo "== micro benchmarks (JMH)" >&2
    java -cp "bench/jmh/target/classes:bench/jmh/target/lib/*" -Dbench.rules="$REPO/rules" org.openjdk.jmh.Main \
        ${jmh_args[@]+"${jmh_args[@]}"} -rf json -rff "$RESULTS/jmh.json" >"$RESULTS/jmh.txt" 2>&1
  fi
fi

f=$RESULTS/throughput.json
if want throughput && [ -f "$f" ]; then
  row "mosquitto_sub QoS 1, live (publisher running)" "$(jget "$f" baseline_mosquitto_sub_per_s) msg/s" "publisher confirmed $(jget "$f" baseline_publisher_confirmed_per_s)/s"
  row "agent, example rules, live" "$(jget "$f" agent_acknowledged_per_s) msg/s" "ratio $(jget "$f" ratio_agent_to_baseline); $(jget "$f" agent_cpu_us_per_message) CPU us/msg; all acknowledged: $(jget "$f" complete)"
  row "mosquitto_sub QoS 1, drain (queued backlog)" "$(jget "$f" drain_baseline_mosquitto_sub_per_s) msg/s" ""
  row "agent, example rules, drain" "$(jget "$f" drain_agent_acknowledged_per_s) msg/s" "ratio $(jget "$f" drain_ratio_agent_to_baseline); heap used/committed $(jget "$f" agent_heap_used_committed_mb) MB; peak RSS $(jget "$f" agent_rss_mb_peak) MB"
fi
for variant in "xmx512m:-Xmx512m" "c2:with C2"; do
  f=$RESULTS/throughput-${variant%%:*}.json
  if want throughput && [ -f "$f" ]; then
    row "agent, example rules, ${variant#*:}, live / drain" "$(jget "$f" agent_acknowledged_per_s) / $(jget "$f" drain_agent_acknowledged_per_s) msg/s" "$(jget "$f" agent_cpu_us_per_message) CPU us/msg; heap used/committed $(jget "$f" agent_heap_used_committed_mb) MB; peak RSS $(jget "$f" agent_rss_mb_peak) MB"
  fi
done
f=$RESULTS/throughput-10000-devices.json
if want devices && [ -f "$f" ]; then
  row "agent, example rules, 10,000 devices, live / drain" "$(jget "$f" agent_acknowledged_per_s) / $(jget "$f" drain_agent_acknowledged_per_s) msg/s" "ratio to the 100-device run: $(awk -v a="$(jget "$f" agent_acknowledged_per_s)" -v b="$(jget "$RESULTS/throughput.json" agent_acknowledged_per_s)" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "?"}'); $(jget "$f" agent_cpu_us_per_message) CPU us/msg; heap used/committed $(jget "$f" agent_heap_used_committed_mb) MB; all acknowledged: $(jget "$f" complete)"
fi
f=$RESULTS/pipeline-cost.json
if want cpu && [ -f "$f" ]; then
  row "pipeline thread CPU per message (decode, buffer, example rules)" "$(jget "$f" thread_cpu_us_per_msg) us" "target <= 25 us; $(jget "$f" thread_alloc_bytes_per_msg) bytes allocated per message"
fi
if want memory && [ -f "$RESULTS/memory-per-device.md" ]; then
  row "heap per device, per rule" "see bench/results/memory-per-device.md" "sizing rule in docs/operations.md"
fi
if want rules && [ -f "$RESULTS/rules-scale.json" ]; then
  for n in $(grep -o '{"rules": [0-9]*, "deploy"' "$RESULTS/rules-scale.json" | grep -o '[0-9]*'); do
    grep -o "{\"rules\": $n, \"deploy\": {[^}]*}, \"throughput\": {[^}]*}" "$RESULTS/rules-scale.json" >"$RESULTS/.rules.json" || true
    f=$RESULTS/.rules.json
    row "agent, $n rule(s), live / drain" "$(jget "$f" agent_acknowledged_per_s) / $(jget "$f" drain_agent_acknowledged_per_s) msg/s" "compile+deploy $(jget "$f" compile_deploy_total_ms) ms (first $(jget "$f" first_rule_ms) ms); start to ready $(jget "$f" ready_ms) ms (restart, rules from the compiled cache: $(jget "$f" ready_warm_ms) ms); $(jget "$f" agent_cpu_us_per_message) CPU us/msg"
  done
  rm -f "$RESULTS/.rules.json"
fi
# latency_rows WHO: a row per rate of the latency JSON on stdin.
latency_rows() {
  { grep -o '{"rate": [^}]*}' || true; } | while read -r r; do
    echo "$r" >"$RESULTS/.lat.json"
    f=$RESULTS/.lat.json
    echo "| publish -> action at $(jget "$f" rate)/s, $1 | p50 $(jget "$f" p50_ms) / p99 $(jget "$f" p99_ms) / max $(jget "$f" max_ms) ms | received $(jget "$f" received) of $(jget "$f" measured) |"
  done
  rm -f "$RESULTS/.lat.json"
}
if want latency && [ -f "$RESULTS/latency.json" ]; then
  # The agent's rates come before the "node_red" section, Node-RED's inside it.
  f=$RESULTS/latency.json
  sed 's/"node_red":.*//' "$f" | latency_rows agent >"$RESULTS/.lat.rows"
  node_red=$(grep -o '"node_red": {"version": "[^"]*"' "$f" | sed 's/.*"\([^"]*\)"$/\1/' || true)
  if [ -n "$node_red" ]; then
    sed -n 's/.*"node_red"://p' "$f" | latency_rows "Node-RED $node_red, same run" >>"$RESULTS/.lat.rows"
  fi
  while read -r l; do rows+=("$l"); done <"$RESULTS/.lat.rows"
  rm -f "$RESULTS/.lat.rows"
fi
if want footprint && [ -f "$RESULTS/footprint.txt" ]; then
  # Columns: options (may contain spaces), run, ready_ms, idle, load median, load end, load max, peak, messages, cpu_s.
  while read -r l; do
    row "footprint: $(echo "$l" | awk '{NF -= 9; print}')" \
        "$(echo "$l" | awk '{print "ready " $(NF-7) " ms; RSS idle " $(NF-6) " MB, at 1,000 msg/s " $(NF-5) " MB (median)"}')" \
        "$(echo "$l" | awk '{print "at the end " $(NF-4) " MB, highest sample " $(NF-3) " MB, peak " $(NF-2) " MB; CPU " $NF " s"}')"
  done < <(cat "$RESULTS/footprint.txt" "$RESULTS/footprint-no-archive.txt" 2>/dev/null | grep -v -e '^#' -e '^JVM options')
fi
if want store-and-forward && [ -f "$RESULTS/store-and-forward.md" ]; then
  row "store and forward" "see bench/results/store-and-forward.md" ""
fi
f=$RESULTS/kafka-drain.json
if want kafka && [ -f "$f" ]; then
  row "Kafka drain: agent (uplink.type kafka) / ProducerPerformance, same records" "$(jget "$f" drain_events_per_s) / $(jget "$f" records_per_s | cut -d. -f1) events/s" "ratio $(jget "$f" ratio_agent_to_producer_performance); $(jget "$f" events) events of $(jget "$f" avg_record_bytes) bytes, $(jget "$f" partitions) partitions, acks=all, idempotent"
fi
if want kafka-footprint && [ -f "$RESULTS/kafka-footprint.txt" ]; then
  while read -r l; do
    row "footprint with / without the Kafka jars, uplink $(echo "$l" | sed 's/.*uplink \([a-z]*\):.*/\1/')" "${l#*: }" ""
  done \
      < <(grep '^ratio' "$RESULTS/kafka-footprint.txt")
fi
if want micro && [ -f "$RESULTS/jmh.txt" ]; then
  # Rows of jmh.txt: name, params (N/A when unused), mode, count, score, +-, error, unit.
  while read -r l; do
    row "jmh: $(echo "$l" | awk '{printf "%s", $1; for (i = 2; i <= NF - 6; i++) if ($i != "N/A") printf " %s", $i}')" \
        "$(echo "$l" | awk '{printf "%.0f +- %.0f %s", $(NF-3), $(NF-1), $NF}')" ""
  done < <(sed -n '/^Benchmark /,/^$/p' "$RESULTS/jmh.txt" | tail -n +2 | grep -v -e '^$' -e '^Benchmark result')
fi

{
  echo "# edge-agent benchmark summary, $stamp$([ "$quick" = 1 ] && echo ' (quick: rough figures)')"
  echo
  if [ "$summary_only" = 1 ]; then
    echo "Machine: $machine. Printed from the result files in bench/results/ (file times: $(ls -l --time-style=+%H:%MZ "$RESULTS" | awk 'NR > 1 {print $6}' | sort | sed -n '1p;$p' | paste -sd- -))."
  else
    echo "Machine: $machine. Load average at start: $load."
  fi
  echo
  echo "| measure | result | notes |"
  echo "| --- | --- | --- |"
  printf '%s\n' "${rows[@]}"
} | tee "$RESULTS/summary.md"
