#!/usr/bin/env bash
# Heap per device of each rule in a directory (default rules/): RuleMemory.java with one rule at a time, DEVICES
# devices each sending one temperature reading a second for 61 s of event time (Esper's external clock, no broker,
# no H2), at a heap large enough not to run out. Bytes per device = retained heap after 60 s / DEVICES. Location
# rules take no readings, so they show what they keep with no devices of theirs. Writes one JSON line per rule to
# bench/results/memory-per-device.jsonl and prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/../.."
RULES_DIR=${1:-rules}
DEVICES=${DEVICES:-10000}
HEAP=${HEAP:-512m}
CP="edge-agent/target/edge-agent.jar:edge-agent/target/lib/*"
out=bench/results/memory-per-device.jsonl
mkdir -p bench/results
: > "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "| rule | retained after 60 s, MB | bytes per device | MB per 1,000 devices |"
echo "| --- | --- | --- | --- |"
for file in "$RULES_DIR"/*.yaml; do
    rule=$(basename "$file" .yaml)
    rm -f "$tmp"/*.yaml
    cp "$file" "$tmp/"
    line=$(java -Xmx"$HEAP" -XX:+UseSerialGC -cp "$CP" bench/e2e/RuleMemory.java "$tmp" "$DEVICES" 61 "$DEVICES" | tail -1)
    echo "{\"rule\": \"$rule\", \"result\": $line}" >> "$out"
    mb=$(sed -E 's/.*"retained_after_60s_mb": ([-0-9.]+|null).*/\1/' <<< "$line")
    failure=$(sed -E 's/.*"failure": (.*)}$/\1/' <<< "$line")
    # RuleMemory prints null for a failed run and for less retained than before the first reading (GC noise).
    awk -v r="$rule" -v mb="$mb" -v d="$DEVICES" -v f="$failure" 'BEGIN {
        if (mb == "null" && f != "null") { printf "| %s | failed: %s | | |\n", r, f; exit }
        if (mb == "null") { printf "| %s | 0 (nothing measurable) | 0 | 0 |\n", r; exit }
        printf "| %s | %.1f | %.0f | %.2f |\n", r, mb, mb * 1e6 / d, mb * 1e3 / d }'
done
