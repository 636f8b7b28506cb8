#!/usr/bin/env bash
# Installs what RadScribe needs from Debian's packages (only what is missing) and, with --python,
# the Python venv of external validators used by the tests. Safe to run again.
set -euo pipefail

usage() {
    cat <<'USAGE'
usage: scripts/install-deps.sh [--python] [--help]

Installs the Debian packages RadScribe builds and runs with (PocketSphinx and its en-us model,
ALSA, SQLite, libxml2, espeak-ng) and the tools its tests and model builds use (flite, festival
with the HTS voice and the kal and ked diphone voices, sox, irstlm, sphinxtrain, alsa-utils, sqlite3,
chromium and chromium-driver for the browser test). Only missing packages are installed. --python also
creates .venv with hl7apy, python-hl7, fhir.resources and selenium.
USAGE
}

want_python=false
for argument in "$@"; do
    case "$argument" in
        --python) want_python=true ;;
        -h|--help) usage; exit 0 ;;
        *) echo "install-deps: unknown option $argument" >&2; usage >&2; exit 64 ;;
    esac
done

packages=(
    # build: system-library targets found through pkg-config
    pkg-config libpocketsphinx-dev libsphinxbase-dev pocketsphinx-en-us libasound2-dev libsqlite3-dev
    libxml2-dev libespeak-ng-dev
    # runtime and model tools
    pocketsphinx sphinxbase-utils sphinxtrain irstlm espeak-ng alsa-utils sqlite3
    # test audio: synthesized dictations
    flite festival festvox-us-slt-hts festvox-kallpc16k festvox-kdlpc16k sox
    # browser end-to-end test of the web workstation (Tests/Browser, Selenium)
    chromium chromium-driver
    # MLLP over TLS tests: self-signed certificates
    openssl
    # python validators
    python3 python3-venv
)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]})); then
    echo "install-deps: installing ${missing[*]}" >&2
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then
        command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo" >&2; exit 1; }
        sudo_cmd=(sudo)
    fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    echo "install-deps: all Debian packages present" >&2
fi

if ! command -v swift >/dev/null; then
    echo "install-deps: no Swift toolchain on PATH; install Swift 6.2 or newer (swift.org) and retry" >&2
    exit 1
fi

if $want_python; then
    "$(dirname "$0")/setup-python.sh"
fi
