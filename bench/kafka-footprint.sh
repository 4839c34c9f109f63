#!/usr/bin/env bash
# Does the Kafka client cost MQTT and HTTP users anything? Start-up to ready and RSS of the agent with no uplink and
# with the MQTT uplink, from this build's layout and from the same layout without the Kafka client's jars
# (kafka-clients, lz4-java: what the Kafka uplink added to lib/), in one run, through bench/footprint.sh. Prints
# the four rows and the ratios with / without. The Kafka classes load only for uplink.type kafka
# (UplinkClassLoadingTest), so the ratios should be 1 within the noise.
#
# Needs what bench/footprint.sh needs. Usage: bench/kafka-footprint.sh [RESULT_FILE]
# (default: bench/results/kafka-footprint.txt). Knobs: footprint.sh's RATE, IDLE_SECONDS, LOAD_SECONDS; RUNS=1 rounds
# of the four, interleaved so that a change of the machine's load hits every layout alike; each figure is the median
# over the rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
result=${1:-bench/results/kafka-footprint.txt}
REPO=$repo
# shellcheck source=e2e/common.sh
. "$repo/bench/e2e/common.sh"
target=$repo/edge-agent/target
[ -f "$target/edge-agent.jar" ] || { echo "kafka-footprint: build first (./mvnw -B -q package -DskipTests)" >&2; exit 1; }
ls "$target"/lib/kafka-clients-*.jar >/dev/null 2>&1 || { echo "kafka-footprint: no kafka-clients in $target/lib" >&2; exit 1; }

# The layout without Kafka: the same jar and lib/ less the two jars. The manifest's Class-Path still names them;
# the JVM skips Class-Path entries that do not exist.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/no-kafka/lib"
cp "$target/edge-agent.jar" "$work/no-kafka/"
find "$target/lib" -maxdepth 1 -name '*.jar' ! -name 'kafka-clients-*' ! -name 'lz4-java-*' -exec cp {} "$work/no-kafka/lib/" \;

opts=$(package_jvm_options)
rounds=${RUNS:-1}
for round in $(seq 1 "$rounds"); do
  for uplink in none mqtt; do
    for layout in with-kafka no-kafka; do
      jar=$target/edge-agent.jar
      [ "$layout" = no-kafka ] && jar=$work/no-kafka/edge-agent.jar
      echo "== kafka-footprint: round $round of $rounds, uplink $uplink, $layout" >&2
      env -u MESSAGES -u TIMEOUT_S RUNS=1 UPLINK=$uplink AGENT_JAR="$jar" OPTION_SETS="$opts" \
          bash bench/footprint.sh "$work/$uplink-$layout-$round.txt" >/dev/null
    done
  done
done

# The median over the rounds of: ready_ms idle_rss_MB load_median_MB peak_rss_MB messages cpu_s (the last 9
# columns of footprint.sh's data rows are run ready_ms idle_rss_MB load_median_MB load_rss_MB load_max_MB peak_rss_MB
# messages cpu_s).
row() {
  local rows c out=()
  rows=$(cat "$work/$1"-*.txt | grep -v -e '^#' -e '^JVM options' \
    | awk '{print $(NF-7), $(NF-6), $(NF-5), $(NF-2), $(NF-1), $NF}')
  for c in 1 2 3 4 5 6; do
    out+=("$(echo "$rows" | awk -v c="$c" '{print $c}' | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')")
  done
  echo "${out[*]}"
}
{
  echo "# bench/kafka-footprint.sh, $(date -u +%Y-%m-%dT%H:%MZ); $(machine_line); load average at the end $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# JVM options: $opts (class archive per layout); $rounds round(s), medians; footprint.sh: RATE=${RATE:-1000} msg/s for ${LOAD_SECONDS:-30} s after ${IDLE_SECONDS:-15} s idle"
  printf '%-6s %-10s %9s %11s %14s %11s %9s %6s\n' uplink layout ready_ms idle_rss_MB load_median_MB peak_rss_MB messages cpu_s
  for uplink in none mqtt; do
    for layout in with-kafka no-kafka; do
      # shellcheck disable=SC2046
      printf '%-6s %-10s %9s %11s %14s %11s %9s %6s\n' "$uplink" "$layout" $(row "$uplink-$layout")
    done
  done
  for uplink in none mqtt; do
    paste <(row "$uplink-with-kafka") <(row "$uplink-no-kafka") | awk -v u="$uplink" '{
      printf "ratio with/without Kafka, uplink %s: ready %.2f, idle RSS %.2f, RSS at load (median) %.2f, peak RSS %.2f\n",
        u, $1 / $7, $2 / $8, $3 / $9, $4 / $10 }'
  done
} | tee "$result"
