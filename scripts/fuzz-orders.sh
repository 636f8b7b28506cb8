#!/bin/sh
# libFuzzer run of the ORM/OMI parser: scripts/fuzz-orders.sh [SECONDS] [extra libFuzzer flags]
# Compiles Sources/RadScribeCore + Sources/HL7 + Fuzz/OrderMessageFuzzer.swift as one module with
# -sanitize=fuzzer,address (outside SwiftPM, so the package build is untouched), seeds the corpus with the valid
# fixtures and runs for SECONDS (default 60). Crashes are written to .build/fuzz/crash-*.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
work="$root/.build/fuzz"
mkdir -p "$work/src" "$work/corpus"
rm -f "$work/src"/*.swift
for f in "$root"/Sources/RadScribeCore/*.swift "$root"/Sources/HL7/*.swift; do
    # One module: drop the imports between the two.
    sed -e '/^import RadScribeCore$/d' "$f" > "$work/src/$(basename "$(dirname "$f")")-$(basename "$f")"
done
cp "$root"/Tests/HL7Tests/Fixtures/orders/valid/*.hl7 "$work/corpus/"
swiftc -O -sanitize=fuzzer,address -parse-as-library -module-name HL7Fuzz \
    "$work"/src/*.swift "$root/Fuzz/OrderMessageFuzzer.swift" -o "$work/order-fuzzer"
cd "$work"
exec ./order-fuzzer -max_total_time="$seconds" -max_len=65536 -timeout=5 -artifact_prefix="$work/" "$@" corpus
