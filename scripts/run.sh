#!/usr/bin/env bash
# Installs what is missing, builds RadScribe (release) and runs the service on its embedded defaults:
# the SQLite file in ~/.local/share/radscribe/ (or $RADSCRIBE_DB), the bundled templates and lexicon.
# Extra arguments go to `radscribe serve` (e.g. --port 9090).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product radscribe
exec .build/release/radscribe serve "$@"
