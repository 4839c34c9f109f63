#!/usr/bin/env bash
# Kafka drain benchmark: how fast the agent empties a full buffer into Kafka (uplink.type kafka), against Kafka's own
# producer performance tool (org.apache.kafka.tools.ProducerPerformance, the project's Kafka version) with the same
# record count, about the same record size, acks=all, idempotence on and the agent's batch.size and linger.ms, on
# the same broker in the same run; prints both and the ratio. Details of the agent's phase:
# bench/KafkaDrainBench.java.
#
# The broker is a real single-node Kafka (KRaft, broker and controller in one process) from Maven Central's jars,
# started here as a child process on free loopback ports; Mosquitto is the agent's (idle) ingest broker. Bounded:
# every phase has a deadline, the whole run TIMEOUT_S, and every process started here is stopped on exit.
#
# Needs: a build (./mvnw -B -q package -DskipTests), mosquitto; the Kafka jars are resolved once by Maven
# (bench/kafka/pom.xml) into ~/.m2.
# Usage: bench/kafka-drain.sh [RESULT_FILE]      (default: bench/results/kafka-drain.json)
# Knobs: MESSAGES=200000, PARTITIONS=3, TIMEOUT_S=600, AGENT_JVM (the package's options),
#        PERF_JVM=-Xmx512m (kafka-producer-perf-test.sh's heap), BROKER_JVM=-Xmx512m
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
REPO=$repo
MESSAGES=${MESSAGES:-200000}
PARTITIONS=${PARTITIONS:-3}
TIMEOUT_S=${TIMEOUT_S:-600}
PERF_JVM=${PERF_JVM:--Xmx512m}
BROKER_JVM=${BROKER_JVM:--Xmx512m}
result=${1:-bench/results/kafka-drain.json}
agent_dir=$repo/edge-agent/target
# free_port, now_ms, the mosquitto path and the package's JVM options (AGENT_JVM) come from the end-to-end helpers.
# shellcheck source=e2e/common.sh
. "$repo/bench/e2e/common.sh"
for f in "$agent_dir/classes" "$agent_dir/lib" "$MOSQUITTO"; do
  [ -e "$f" ] || { echo "kafka-drain: $f not found (./mvnw -B -q package -DskipTests; apt-get install mosquitto)" >&2; exit 1; }
done

kafka_version=$(sed -n 's#.*<kafka.version>\(.*\)</kafka.version>.*#\1#p' pom.xml | head -1)
cp_file=$repo/bench/kafka/target/classpath-$kafka_version.txt
if [ ! -s "$cp_file" ]; then
  ./mvnw -B -q -f bench/kafka/pom.xml -Dkafka.version="$kafka_version" dependency:build-classpath \
      -Dmdep.outputFile="$cp_file" >&2
fi
kafka_cp=$(cat "$cp_file")
quiet_logs=-Dorg.slf4j.simpleLogger.defaultLogLevel=warn

bench_start
deadline_s=$(( $(date +%s) + TIMEOUT_S ))
remaining() { local r=$(( deadline_s - $(date +%s) )); [ "$r" -gt 0 ] && echo "$r" || echo 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() {  # PORT SECONDS NAME
  for _ in $(seq 1 $(( $2 * 10 ))); do port_open "$1" && return; sleep 0.1; done
  echo "kafka-drain: $3 did not open port $1 in $2 s" >&2; tail -20 "$work/$3.log" >&2; exit 1
}

# Kafka: one KRaft node, broker and controller, loopback listeners only, no automatic topics.
broker_port=$(free_port)
controller_port=$(free_port)
while [ "$controller_port" = "$broker_port" ]; do controller_port=$(free_port); done
cat >"$work/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$broker_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$broker_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$work/kafka-logs
auto.create.topics.enable=false
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
cluster_id=$(java -cp "$kafka_cp" $quiet_logs kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
timeout 60 java -cp "$kafka_cp" $quiet_logs kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$work/server.properties" >"$work/format.log" 2>&1 || { cat "$work/format.log" >&2; exit 1; }
# shellcheck disable=SC2086
java $BROKER_JVM $quiet_logs -cp "$kafka_cp" kafka.Kafka "$work/server.properties" >"$work/kafka.log" 2>&1 &
PIDS+=($!)
wait_port "$broker_port" 60 kafka
bootstrap=127.0.0.1:$broker_port

ingest_port=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$ingest_port" >"$work/mosquitto.conf"
"$MOSQUITTO" -c "$work/mosquitto.conf" >"$work/mosquitto.log" 2>&1 &
PIDS+=($!)
wait_port "$ingest_port" 10 mosquitto

echo "kafka-drain: $MESSAGES events, $PARTITIONS partitions, Kafka $kafka_version on $bootstrap; agent at $AGENT_JVM" >&2
# shellcheck disable=SC2086
EDGE_LOG_LEVEL=${EDGE_LOG_LEVEL:-WARN} timeout "$(remaining)" java $AGENT_JVM \
    -cp "$agent_dir/classes:$agent_dir/lib/*" bench/KafkaDrainBench.java \
    "tcp://127.0.0.1:$ingest_port" "$bootstrap" "$MESSAGES" edge-events "$PARTITIONS" >"$work/agent.json"
agent_json=$(tail -1 "$work/agent.json")
jnum() { echo "$1" | grep -o "\"$2\": *[0-9.]*" | sed 's/.*: *//'; }
record_bytes=$(jnum "$agent_json" avg_record_bytes)

echo "kafka-drain: ProducerPerformance, $MESSAGES records of $record_bytes bytes, at $PERF_JVM" >&2
timeout "$(remaining)" java -cp "$kafka_cp" $quiet_logs org.apache.kafka.tools.TopicCommand --bootstrap-server "$bootstrap" \
    --create --topic perf --partitions "$PARTITIONS" --replication-factor 1 >/dev/null
# The agent's producer settings that matter here: acks=all, idempotence, batch.size 16 KB, linger.ms 5
# (uplink.kafka.batchBytes and linger defaults), no compression.
# shellcheck disable=SC2086
timeout "$(remaining)" java $PERF_JVM $quiet_logs -cp "$kafka_cp" org.apache.kafka.tools.ProducerPerformance \
    --topic perf --num-records "$MESSAGES" --record-size "$record_bytes" --throughput -1 \
    --producer-props "bootstrap.servers=$bootstrap" acks=all enable.idempotence=true batch.size=16384 linger.ms=5 \
    compression.type=none >"$work/perf.txt" 2>&1 || { cat "$work/perf.txt" >&2; exit 1; }
perf_line=$(grep 'records sent' "$work/perf.txt" | tail -1)
perf_rate=$(echo "$perf_line" | sed -n 's/.* records sent, \([0-9.]*\) records\/sec.*/\1/p')
perf_avg_ms=$(echo "$perf_line" | sed -n 's/.*, \([0-9.]*\) ms avg latency.*/\1/p')
agent_rate=$(jnum "$agent_json" drain_events_per_s)

mkdir -p "$(dirname "$result")"
{
  echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%MZ)\", \"machine\": \"$(machine_line)\", \"load_average_at_start\": \"$(cut -d' ' -f1-3 /proc/loadavg)\","
  echo " \"kafka_version\": \"$kafka_version\", \"partitions\": $PARTITIONS, \"agent_jvm\": \"$AGENT_JVM\", \"perf_jvm\": \"$PERF_JVM\","
  echo " \"agent\": $agent_json,"
  echo " \"producer_performance\": {\"records\": $MESSAGES, \"record_size\": $record_bytes, \"records_per_s\": $perf_rate, \"avg_latency_ms\": $perf_avg_ms, \"line\": \"$perf_line\"},"
  echo " \"ratio_agent_to_producer_performance\": $(awk -v a="$agent_rate" -v b="$perf_rate" 'BEGIN {printf "%.2f", a / b}'),"
  echo " \"command\": \"MESSAGES=$MESSAGES PARTITIONS=$PARTITIONS bench/kafka-drain.sh\"}"
} >"$result"
cat "$result"
