#!/usr/bin/env bash
# First-start time to ready with many rules, start only (no load): RUNS fresh data directories in a row against one
# Mosquitto, each timed from launching the JVM to GET /ready answering 200 (buffer open, every rule deployed, ingest
# connected), with the CPU time the JVM used until then (steadier than the wall time on a shared machine). Prints one
# line per start, then the agent's log of the last one when --log is given. A/B two builds by running it with
# AGENT_JAR pointing at each (the class archive is built per jar, before anything is timed).
#
# Usage: bench/e2e/start-time.sh [--rules N] [--runs R] [--log] [--distinct]
#   --distinct: every generated rule a shape of its own (DISTINCT=1 bench/e2e/gen-rules.sh), nothing compiled once
#               for several rules
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"

count=200
runs=3
show_log=0
while [ $# -gt 0 ]; do
  case $1 in
    --rules) count=$2; shift ;;
    --runs) runs=$2; shift ;;
    --log) show_log=1 ;;
    --distinct) export DISTINCT=1 ;;
    *) echo "start-time: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bench_start
"$here/gen-rules.sh" "$count" "$work/rules"
mkdir -p "$work/broker"
start_broker "$work/broker"
for i in $(seq 1 "$runs"); do
  mkdir -p "$work/agent-$i"
  write_config "$work/agent-$i" "$work/rules"
  start_agent "$work/agent-$i"
  echo "rules=$count start=$i ready_ms=$READY_MS cpu_ms=$READY_CPU_MS"
  stop_agent
done
if [ "$show_log" = 1 ]; then
  # One line per rule deployed would drown the rest: the first and the last only.
  grep -v "deployed from" "$work/agent-$runs/agent.log" || true
  grep "deployed from" "$work/agent-$runs/agent.log" | sed -n '1p;$p'
fi
