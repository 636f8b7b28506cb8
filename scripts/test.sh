#!/usr/bin/env bash
# The test command: installs what the tests need (Debian packages, the Python venv of external
# validators), then runs every test with real components.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --python
swift build --build-tests
swift test --skip-build "$@"
# Security probes against a started server (loopback only, bounded): one line per probe.
if [[ $# -eq 0 ]]; then
    python3 scripts/attack-suite.py
fi
