#!/usr/bin/env bash
# Which metrics library: start-up to the first scrape and resident memory of a JVM that registers what the agent
# exposes (45 families, 7 per-rule families over 9 rules, 3 histograms) and renders it once, for our own registry
# (io.edgeagent.metrics), the Prometheus Java client 1.10 (callback metrics + text format) and Micrometer 1.17's
# Prometheus registry, against the bare JVM. Each variant runs RUNS times; medians are printed.
#
# Needs: a build (./mvnw -q package -DskipTests) and the libraries in ~/.m2 (resolve them with
#   ./mvnw dependency:get -Dartifact=io.prometheus:prometheus-metrics-exposition-textformats:1.10.0
#   ./mvnw dependency:get -Dartifact=io.prometheus:prometheus-metrics-core:1.10.0 -Dtransitive=false  (and -model,
#   -config, -tracer-common, -tracer-initializer)
#   ./mvnw dependency:get -Dartifact=io.micrometer:micrometer-registry-prometheus:1.17.2).
# Usage: bench/metrics-library/run.sh [RESULT_FILE]   (default: bench/results/metrics-library.txt)
# Knobs: RUNS=7, JVM_OPTS (default: the package's options from packaging/default/edge-agent).
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$(pwd)
REPO=$repo
# shellcheck source=../e2e/common.sh
. "$repo/bench/e2e/common.sh"
RUNS=${RUNS:-7}
JVM_OPTS=${JVM_OPTS:-$(package_jvm_options)}
result=${1:-bench/results/metrics-library.txt}
m2=${M2:-$HOME/.m2/repository}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

jars() { local cp=""; for j in "$@"; do cp="$cp:$m2/$j"; done; echo "${cp#:}"; }
p=io/prometheus
own_cp=$repo/edge-agent/target/classes
client_cp=$(jars $p/prometheus-metrics-core/1.10.0/prometheus-metrics-core-1.10.0.jar \
  $p/prometheus-metrics-model/1.10.0/prometheus-metrics-model-1.10.0.jar \
  $p/prometheus-metrics-config/1.10.0/prometheus-metrics-config-1.10.0.jar \
  $p/prometheus-metrics-tracer-common/1.10.0/prometheus-metrics-tracer-common-1.10.0.jar \
  $p/prometheus-metrics-tracer-initializer/1.10.0/prometheus-metrics-tracer-initializer-1.10.0.jar \
  $p/prometheus-metrics-exposition-textformats/1.10.0/prometheus-metrics-exposition-textformats-1.10.0.jar)
m=io/micrometer
micrometer_cp=$(jars $m/micrometer-core/1.17.2/micrometer-core-1.17.2.jar $m/micrometer-commons/1.17.2/micrometer-commons-1.17.2.jar \
  $m/micrometer-observation/1.17.2/micrometer-observation-1.17.2.jar \
  $m/micrometer-registry-prometheus/1.17.2/micrometer-registry-prometheus-1.17.2.jar \
  $p/prometheus-metrics-core/1.7.0/prometheus-metrics-core-1.7.0.jar $p/prometheus-metrics-model/1.7.0/prometheus-metrics-model-1.7.0.jar \
  $p/prometheus-metrics-config/1.7.0/prometheus-metrics-config-1.7.0.jar \
  $p/prometheus-metrics-tracer-common/1.7.0/prometheus-metrics-tracer-common-1.7.0.jar \
  $p/prometheus-metrics-exposition-formats/1.7.0/prometheus-metrics-exposition-formats-1.7.0.jar \
  $p/prometheus-metrics-exposition-textformats/1.7.0/prometheus-metrics-exposition-textformats-1.7.0.jar)

jar_kb() { local total=0; IFS=: read -ra parts <<<"$1"; for f in "${parts[@]}"; do
  [ -f "$f" ] && total=$((total + $(stat -c %s "$f"))); done; echo $((total / 1024)); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

{
  echo "# bench/metrics-library/run.sh, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, RUNS=$RUNS"
  echo "# JVM: $(java -version 2>&1 | head -1); options: $JVM_OPTS"
  printf '%-11s %12s %14s %12s %10s\n' variant start_ms rss_kb jars_kb text_chars
} | tee "$result"
for variant in None Own Client Micrometer; do
  case $variant in
    None) cp="" ;; Own) cp=$own_cp ;; Client) cp=$client_cp ;; Micrometer) cp=$micrometer_cp ;;
  esac
  mkdir -p "$work/$variant"
  javac -nowarn -d "$work/$variant" -cp "${cp:-.}" bench/metrics-library/Workload.java "bench/metrics-library/$variant.java"
  starts=(); rsss=(); chars=0
  for _ in $(seq "$RUNS"); do
    before=$(now_ms)
    # shellcheck disable=SC2086
    read -r after rss chars < <(java $JVM_OPTS -cp "$work/$variant${cp:+:$cp}" "$variant")
    starts+=($((after - before))); rsss+=("$rss")
  done
  printf '%-11s %12s %14s %12s %10s\n' "$variant" "$(printf '%s\n' "${starts[@]}" | median)" \
    "$(printf '%s\n' "${rsss[@]}" | median)" "$([ "$variant" = Own ] && echo 0 || jar_kb "$cp")" "$chars" | tee -a "$result"
done
