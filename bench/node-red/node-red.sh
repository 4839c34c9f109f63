# Node-RED for the bench's comparison rows; sourced after bench/e2e/common.sh, not run. Node-RED comes from the npm
# registry at a pinned version into a cache directory outside version control (bench/.cache/, in .gitignore) and is
# reused from there; it runs headless (bench/node-red/settings.js) on the flow bench/node-red/flows.json, in a
# scratch userDir. Its process is recorded in PIDS, so bench_cleanup stops it on exit.
# shellcheck shell=bash

NODE_RED_VERSION=${NODE_RED_VERSION:-4.1.15}
NODE_RED_CACHE=${NODE_RED_CACHE:-$REPO/bench/.cache}
NODE_RED_HOME=$NODE_RED_CACHE/node-red-$NODE_RED_VERSION

# node_red_install: installs node-red@NODE_RED_VERSION into NODE_RED_HOME unless it is there already. Into a scratch
# directory first and moved into place when complete, so an interrupted install is never taken for a cached one.
node_red_install() {
  local tmp
  command -v node >/dev/null && command -v npm >/dev/null \
    || { echo "bench: node and npm are needed for the Node-RED row (Node.js 18 or later)" >&2; return 1; }
  [ -f "$NODE_RED_HOME/node_modules/node-red/red.js" ] && return 0
  mkdir -p "$NODE_RED_CACHE"
  tmp=$(mktemp -d "$NODE_RED_HOME.partial.XXXXXX")
  echo "bench: installing node-red@$NODE_RED_VERSION from the npm registry into $NODE_RED_HOME" >&2
  if ! timeout 600 npm install --prefix "$tmp" --no-audit --no-fund --loglevel=error "node-red@$NODE_RED_VERSION" >&2; then
    rm -rf "$tmp"
    echo "bench: npm install node-red@$NODE_RED_VERSION failed or took more than 600 s" >&2
    return 1
  fi
  mv "$tmp" "$NODE_RED_HOME"
}

# A reading of type latency for the flow to answer, from a device no probe uses; its command carries no "lat-" id,
# so a late one is not counted by Latency.java.
node_red_ping() {
  mosquitto_pub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t sensors/ready-dev/latency \
    -m '{"id":"ready","deviceId":"ready-dev","type":"latency","value":1,"unit":"x","ts":0}' 2>/dev/null
}

# start_node_red DIR: Node-RED on the flow, connected to the broker on BROKER_PORT; returns when the flow has answered
# a reading with its command (so the broker connection and the subscription are up). Sets NODE_RED_PID and
# NODE_RED_READY_MS (launch to first answer).
start_node_red() {
  local dir=$1 started sub deadline
  mkdir -p "$dir/node-red"
  cp "$REPO/bench/node-red/flows.json" "$dir/node-red/flows.json"
  started=$(now_ms)
  BENCH_BROKER_PORT=$BROKER_PORT node "$NODE_RED_HOME/node_modules/node-red/red.js" \
    --settings "$REPO/bench/node-red/settings.js" --userDir "$dir/node-red" >"$dir/node-red.log" 2>&1 &
  NODE_RED_PID=$!
  PIDS+=("$NODE_RED_PID")
  mosquitto_sub -h 127.0.0.1 -p "$BROKER_PORT" -q 1 -t bench/latency/ready-dev -C 1 -W 90 \
    >"$dir/node-red.ready" 2>/dev/null &
  sub=$!
  PIDS+=("$sub")
  # One reading every half second until the first command comes back: readings sent before Node-RED subscribed are
  # not delivered to it (clean session), so one is not enough.
  deadline=$(( $(now_ms) + 90000 ))
  until [ -s "$dir/node-red.ready" ]; do
    if [ "$(now_ms)" -gt "$deadline" ] || ! kill -0 "$NODE_RED_PID" 2>/dev/null; then
      echo "bench: Node-RED did not answer within 90 s" >&2
      tail -20 "$dir/node-red.log" >&2
      exit 1
    fi
    node_red_ping
    sleep 0.5
  done
  NODE_RED_READY_MS=$(( $(now_ms) - started ))
  wait "$sub" 2>/dev/null || true
}

stop_node_red() {
  kill -TERM "$NODE_RED_PID" 2>/dev/null || true
  wait "$NODE_RED_PID" 2>/dev/null || true
}

node_red_installed_version() {
  node -p "require('$NODE_RED_HOME/node_modules/node-red/package.json').version"
}
