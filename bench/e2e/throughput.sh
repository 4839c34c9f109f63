#!/usr/bin/env bash
# End-to-end throughput, QoS 1, against a real Mosquitto on loopback, measured in one run:
#   baseline: mosquitto_sub (QoS 1) receives N messages from the simulator in max-rate mode: what the broker
#             delivers to a bare subscriber on this machine, with this publisher;
#   agent:    the agent (JVM options $AGENT_JVM) receives the same N messages, decodes them, evaluates the rules in
#             RULES_DIR, appends them to its H2 buffer and acknowledges each only after the checkpoint that covers it.
#             Its rate is N over the time between the first and the last acknowledgement (edge_messages_acknowledged_total,
#             polled every 100 ms), after a warm-up of N/5 messages.
# Two ways, both for each subscriber:
#   live:  the simulator publishes while the subscriber receives. On a 2-core machine the publisher (a JVM), the
#          broker and the subscriber share the CPU, so this is "what you get with a busy publisher on the same box".
#   drain: the subscriber process is frozen (SIGSTOP), the simulator publishes N into its session (Mosquitto queues
#          them), then the subscriber is resumed (SIGCONT) and timed while it empties the queue with the publisher
#          gone: the subscriber's own rate, from the broker, without competing with the publisher for CPU.
# The subscribers run one after the other on one broker, so neither competes with the other.
#
# Usage: bench/e2e/throughput.sh [--no-baseline] [--rules DIR] [--label NAME] [--messages N] [--out FILE.json]
# Bounded: every wait has a deadline (TIMEOUT_S, default 120 s per phase); every process is stopped on exit.
set -euo pipefail
source "$(dirname "$0")/common.sh"

baseline=1
rules=$REPO/rules
label=example-rules
N=${MESSAGES:-200000}
out=""
DEVICES=${DEVICES:-100}
CONNECTIONS=${CONNECTIONS:-1}
TIMEOUT_S=${TIMEOUT_S:-120}
while [ $# -gt 0 ]; do
  case $1 in
    --no-baseline) baseline=0 ;;
    --rules) rules=$2; shift ;;
    --label) label=$2; shift ;;
    --messages) N=$2; shift ;;
    --out) out=$2; shift ;;
    *) echo "throughput: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
bench_start
start_broker "$work"
sim_args=(--devices "$DEVICES" --connections "$CONNECTIONS" --max-rate --qos 1 --seed 42 --duration "${TIMEOUT_S}s")

base_rate=0
base_sim_rate=0
base_drain_rate=0
if [ "$baseline" = 1 ]; then
  mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i bench-sub -t 'sensors/#' -C "$N" -W "$TIMEOUT_S" -F '%U' \
      >"$work/sub.txt" 2>"$work/sub.err" &
  sub=$!
  PIDS+=("$sub")
  sleep 0.5  # let it subscribe: messages published before that are not delivered to it
  simulate "${sim_args[@]}" --max-messages "$N" --client-id bench-sim-base >"$work/sim-base.json" 2>"$work/sim-base.err"
  wait "$sub" || true
  got=$(wc -l <"$work/sub.txt")
  base_rate=$(awk -v n="$got" 'NR==1 {f=$1} {l=$1} END {if (n > 1 && l > f) printf "%d", (n - 1) / (l - f); else print 0}' "$work/sub.txt")
  base_sim_rate=$(grep -o '"achievedRate"[^,}]*' "$work/sim-base.json" | head -1 | grep -o '[0-9.]*$' | cut -d. -f1 || echo 0)
  [ "$got" -lt "$N" ] && echo "throughput: mosquitto_sub received only $got of $N messages" >&2

  mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -i bench-sub-drain -t 'sensors/#' -C "$N" -W "$TIMEOUT_S" -F '%U' \
      >"$work/sub-drain.txt" 2>"$work/sub-drain.err" &
  sub=$!
  PIDS+=("$sub")
  sleep 0.5
  kill -STOP "$sub"
  simulate "${sim_args[@]}" --max-messages "$N" --client-id bench-sim-base-drain >/dev/null 2>"$work/sim-base-drain.err"
  kill -CONT "$sub"
  wait "$sub" || true
  got=$(wc -l <"$work/sub-drain.txt")
  base_drain_rate=$(awk -v n="$got" 'NR==1 {f=$1} {l=$1} END {if (n > 1 && l > f) printf "%d", (n - 1) / (l - f); else print 0}' "$work/sub-drain.txt")
  [ "$got" -lt "$N" ] && echo "throughput: mosquitto_sub (drain) received only $got of $N messages" >&2
fi

write_config "$work" "$rules"
start_agent "$work"
ready_ms=$READY_MS
deployed=$(grep -c 'Rule .* deployed from' "$work/agent.log" || true)

# Polls edge_messages_acknowledged_total every POLL_S (default 1 s) until it reaches $1 and prints
# "t1 a1 t2 a2 max_rss_mb": two polls that both caught the count on its way from $2 to $1 (the first that saw more
# than $2, the last that saw less than $1), each timed at the middle of its scrape, so the rate between them is the
# rate while messages were being acknowledged, whatever the poll interval. The poll that finds the count at $1 comes
# up to POLL_S after it got there: timing to it counted that idle time too, a fifth of a 5-second drain. If no two
# polls caught it on its way, the first and the final poll are given. The interval is long because every /metrics
# scrape runs a query over the whole outbox while holding the buffer (see docs/performance.md): scraping at 10 Hz
# cost the agent a measurable share of its throughput.
POLL_S=${POLL_S:-1}
await_acked() {
  local target=$1 base=$2 deadline t1=0 a1=0 tm=0 am=0 acked t0 t max_rss=0 r
  deadline=$(( $(now_ms) + TIMEOUT_S * 1000 ))
  while :; do
    t0=$(now_ms)
    acked=$(metric edge_messages_acknowledged_total)
    t=$(( (t0 + $(now_ms)) / 2 ))
    if [ "$t1" = 0 ] && [ "$acked" -gt "$base" ]; then t1=$t; a1=$acked;
    elif [ "$t1" != 0 ] && [ "$acked" -lt "$target" ]; then tm=$t; am=$acked; fi
    r=$(rss_mb "$AGENT_PID"); [ "$r" -gt "$max_rss" ] && max_rss=$r
    if [ "$acked" -ge "$target" ]; then
      [ "$tm" = 0 ] && { tm=$t; am=$acked; }
      echo "$t1 $a1 $tm $am $max_rss"; return 0
    fi
    [ "$t" -gt "$deadline" ] && { echo "$t1 $a1 $t $acked $max_rss"; return 1; }
    kill -0 "$AGENT_PID" 2>/dev/null || { echo "throughput: the agent died" >&2; tail -20 "$work/agent.log" >&2; exit 1; }
    sleep "$POLL_S"
  done
}

warm=$((N / 5))
simulate "${sim_args[@]}" --max-messages "$warm" --client-id bench-sim-warm >"$work/sim-warm.json" 2>"$work/sim-warm.err"
await_acked "$warm" 0 >/dev/null || echo "throughput: warm-up not fully acknowledged within ${TIMEOUT_S} s" >&2
base=$(metric edge_messages_acknowledged_total)
c0=$(cpu_ticks "$AGENT_PID")
live_threads0=$(thread_ticks "$AGENT_PID")
simulate "${sim_args[@]}" --max-messages "$N" --client-id bench-sim-agent >"$work/sim-agent.json" 2>"$work/sim-agent.err" &
sim=$!
PIDS+=("$sim")
complete=true
read -r t1 a1 t2 a2 max_rss < <(await_acked $((base + N)) "$base" || true)
acked=$(( $(metric edge_messages_acknowledged_total) - base ))
[ "$acked" -lt "$N" ] && complete=false
wait "$sim" || true
live_threads=$(thread_cpu_json "$live_threads0" "$(thread_ticks "$AGENT_PID")")
cpu_us=$(awk -v c="$(( $(cpu_ticks "$AGENT_PID") - c0 ))" -v hz="$(getconf CLK_TCK)" -v n="$acked" 'BEGIN {if (n > 0) printf "%.1f", c * 1e6 / hz / n; else print 0}')

# Drain: freeze the agent, let the broker queue N for it, resume and time the acknowledgements.
base=$(metric edge_messages_acknowledged_total)
kill -STOP "$AGENT_PID"
simulate "${sim_args[@]}" --max-messages "$N" --client-id bench-sim-agent-drain >/dev/null 2>"$work/sim-agent-drain.err" \
  || { kill -CONT "$AGENT_PID"; echo "throughput: publishing for the drain phase failed" >&2; exit 1; }
drain_threads0=$(thread_ticks "$AGENT_PID")
kill -CONT "$AGENT_PID"
resumed=$(now_ms)
read -r dt1 da1 dt2 da2 drain_max_rss < <(await_acked $((base + N)) "$base" || true)
drain_threads=$(thread_cpu_json "$drain_threads0" "$(thread_ticks "$AGENT_PID")")
drained=$(( $(metric edge_messages_acknowledged_total) - base ))
[ "$drained" -lt "$N" ] && complete=false
# Between the two polls that caught the drain on its way; if the first poll already saw it all, from the resume.
drain_rate=$(awk -v a1="$da1" -v a2="$da2" -v f="$dt1" -v l="$dt2" -v r="$resumed" -v b="$base" \
  'BEGIN {if (l > f && a2 > a1) printf "%d", (a2 - a1) * 1000 / (l - f); else if (l > r) printf "%d", (a2 - b) * 1000 / (l - r); else print 0}')
[ "$drain_max_rss" -gt "${max_rss:-0}" ] && max_rss=$drain_max_rss
s0=$(now_ms); metric edge_messages_acknowledged_total >/dev/null; scrape_ms=$(( $(now_ms) - s0 ))
heap=$(heap_mb "$AGENT_PID")
rss=$(rss_mb "$AGENT_PID")
hwm=$(hwm_mb "$AGENT_PID")
stored=$(metric edge_events_stored_total)
decode_errors=$(metric edge_decode_errors_total)
checkpoints=$(metric edge_buffer_checkpoints_total)
agent_rate=$(awk -v a1="$a1" -v a2="$a2" -v f="$t1" -v l="$t2" 'BEGIN {if (l > f && a2 > a1) printf "%d", (a2 - a1) * 1000 / (l - f); else print 0}')
agent_sim_rate=$(grep -o '"achievedRate"[^,}]*' "$work/sim-agent.json" | head -1 | grep -o '[0-9.]*$' | cut -d. -f1 || echo 0)
stop_agent
ratio=$(awk -v a="$agent_rate" -v b="$base_rate" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "null"}')
drain_ratio=$(awk -v a="$drain_rate" -v b="$base_drain_rate" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print "null"}')
oom=$(grep -c 'OutOfMemoryError' "$work/agent.log" || true)
if [ "$oom" -gt 0 ] || [ "$complete" != true ]; then
  cp "$work/agent.log" "${out%.json}.agent.log" 2>/dev/null || true
fi
# A restart on the same data directory: the rules now come from the compiled-rules cache, as on every start but
# the first after a rule changed.
start_agent "$work"
ready_warm_ms=$READY_MS
stop_agent

json=$(cat <<EOF
{"label": "$label", "messages": $N, "devices": $DEVICES, "connections": $CONNECTIONS, "broker_profile": "$BROKER_PROFILE",
 "agent_jvm": "$AGENT_JVM", "rules_deployed": $deployed, "ready_ms": $ready_ms, "ready_warm_ms": $ready_warm_ms,
 "baseline_mosquitto_sub_per_s": $base_rate, "baseline_publisher_confirmed_per_s": ${base_sim_rate:-0},
 "agent_acknowledged_per_s": $agent_rate, "agent_publisher_confirmed_per_s": ${agent_sim_rate:-0},
 "ratio_agent_to_baseline": $ratio, "acknowledged": $acked, "complete": $complete, "agent_cpu_us_per_message": $cpu_us,
 "drain_baseline_mosquitto_sub_per_s": $base_drain_rate, "drain_agent_acknowledged_per_s": $drain_rate,
 "drain_ratio_agent_to_baseline": $drain_ratio, "drain_acknowledged": $drained,
 "events_stored_total": $stored, "decode_errors": $decode_errors, "checkpoints": $checkpoints,
 "agent_rss_mb_end": $rss, "agent_rss_mb_max_sampled": $max_rss, "agent_rss_mb_peak": $hwm,
 "agent_heap_used_committed_mb": "$heap", "out_of_memory_errors": $oom, "metrics_scrape_ms_at_end": $scrape_ms,
 "agent_threads_cpu_ms_live": $live_threads, "agent_threads_cpu_ms_drain": $drain_threads}
EOF
)
echo "$json"
if [ -n "$out" ]; then echo "$json" >"$out"; fi
