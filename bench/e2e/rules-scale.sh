#!/usr/bin/env bash
# Rules at scale: for 1, 20 and 200 deployed rules (bench/e2e/gen-rules.sh), the compile+deploy time in a fresh JVM
# (bench/e2e/RuleDeploy.java, the agent's RuleEngine), the agent's start-to-ready time, and its end-to-end QoS 1
# throughput (bench/e2e/throughput.sh without the baseline).
#
# Usage: bench/e2e/rules-scale.sh [--counts "1 20 200"] [--messages N] [--out FILE.json]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/common.sh"

counts="1 20 200"
messages=${MESSAGES:-200000}
out=""
while [ $# -gt 0 ]; do
  case $1 in
    --counts) counts=$2; shift ;;
    --messages) messages=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "rules-scale: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bench_start
results=()
for n in $counts; do
  "$here/gen-rules.sh" "$n" "$work/rules-$n"
  # shellcheck disable=SC2086
  deploy=$(timeout 600 java $AGENT_JVM -DEDGE_LOG_LEVEL=WARN -cp "$AGENT_JAR:$(dirname "$AGENT_JAR")/lib/*" \
      "$here/RuleDeploy.java" "$work/rules-$n" 2>"$work/deploy-$n.err") \
      || { cat "$work/deploy-$n.err" >&2; deploy='{"error": true}'; }
  echo "deploy $n: $deploy" >&2
  tp=$(TIMEOUT_S=${TIMEOUT_S:-180} "$here/throughput.sh" --no-baseline --rules "$work/rules-$n" --label "rules-$n" \
      --messages "$messages" --out "$work/tp-$n.json") || tp='{"error": true}'
  tp=$(cat "$work/tp-$n.json" 2>/dev/null || echo "$tp")
  echo "throughput $n: $tp" >&2
  results+=("{\"rules\": $n, \"deploy\": $deploy, \"throughput\": $(echo "$tp" | tr -d '\n')}")
done
json="{\"rules_at_scale\": [$(IFS=,; echo "${results[*]}")]}"
echo "$json"
[ -n "$out" ] && echo "$json" >"$out"
exit 0
