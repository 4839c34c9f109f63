#!/usr/bin/env bash
# Heap per device of each rule in a directory (default rules/): RuleMemory.java with one rule at a time, DEVICES
# devices each sending one temperature reading a second for 61 s of event time (Esper's external clock, no broker,
# no H2), at a heap large enough not to run out. Bytes per device = retained heap after 60 s / DEVICES. Location
# rules take no readings, so they show what they keep with no devices of theirs. Writes one JSON line per rule to
# bench/results/memory-per-device.jsonl and prints a Markdown table.
# A changing fleet: REPLACE_AT=60 RUN_SECONDS=210 replaces the DEVICES sensors by as many new ones at 60 s and runs to
# 210 s; the table then also shows the heap retained at the end, when the first fleet has been silent for 150 s (a
# rule that forgets silent devices keeps one fleet's worth, one that does not keeps two).
set -euo pipefail
cd "$(dirname "$0")/../.."
RULES_DIR=${1:-rules}
DEVICES=${DEVICES:-10000}
HEAP=${HEAP:-512m}
REPLACE_AT=${REPLACE_AT:-0}
# Not SECONDS: bash sets that itself (seconds since the shell started), so its default here was never used.
SECONDS_RUN=${RUN_SECONDS:-61}
CP="edge-agent/target/edge-agent.jar:edge-agent/target/lib/*"
out=bench/results/memory-per-device.jsonl
mkdir -p bench/results
: > "$out"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ "$REPLACE_AT" -gt 0 ]; then
    echo "| rule | retained after 60 s, MB | retained at ${SECONDS_RUN} s (fleet replaced at ${REPLACE_AT} s), MB | bytes per device at the end |"
else
    echo "| rule | retained after 60 s, MB | bytes per device | MB per 1,000 devices |"
fi
echo "| --- | --- | --- | --- |"
for file in "$RULES_DIR"/*.yaml; do
    rule=$(basename "$file" .yaml)
    rm -f "$tmp"/*.yaml
    cp "$file" "$tmp/"
    line=$(java -Xmx"$HEAP" -XX:+UseSerialGC -cp "$CP" bench/e2e/RuleMemory.java "$tmp" "$DEVICES" "$SECONDS_RUN" "$DEVICES" "$REPLACE_AT" | tail -1)
    echo "{\"rule\": \"$rule\", \"result\": $line}" >> "$out"
    mb=$(sed -E 's/.*"retained_after_60s_mb": ([-0-9.]+|null).*/\1/' <<< "$line")
    failure=$(sed -E 's/.*"failure": (.*)}$/\1/' <<< "$line")
    if [ "$REPLACE_AT" -gt 0 ]; then
        end=$(sed -E 's/.*"retained_at_end_mb": ([-0-9.]+|null).*/\1/' <<< "$line")
        awk -v r="$rule" -v mb="$mb" -v end="$end" -v d="$DEVICES" -v f="$failure" 'BEGIN {
            if (f != "null") { printf "| %s | failed: %s | | |\n", r, f; exit }
            printf "| %s | %s | %s | %.0f |\n", r, mb == "null" ? "0" : mb, end == "null" ? "0" : end,
                end == "null" ? 0 : end * 1e6 / d }'
        continue
    fi
    # RuleMemory prints null for a failed run and for less retained than before the first reading (GC noise).
    awk -v r="$rule" -v mb="$mb" -v d="$DEVICES" -v f="$failure" 'BEGIN {
        if (mb == "null" && f != "null") { printf "| %s | failed: %s | | |\n", r, f; exit }
        if (mb == "null") { printf "| %s | 0 (nothing measurable) | 0 | 0 |\n", r; exit }
        printf "| %s | %.1f | %.0f | %.2f |\n", r, mb, mb * 1e6 / d, mb * 1e3 / d }'
done
