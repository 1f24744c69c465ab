#!/usr/bin/env bash
# Installs JupyterHub's proxy for `make classroom`: configurable-http-proxy from npm into
# .venv/node (needs node and npm; installed from Debian when missing, as root or with
# password-less sudo). Usage: bash tests/classroom/install_proxy.sh [.venv]
set -euo pipefail

VENV="${1:-.venv}"

if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" -eq 0 ]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO=(sudo -n)
    else
        echo "classroom: npm is missing; install Debian's nodejs and npm, then rerun" >&2
        exit 1
    fi
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq nodejs npm
fi

npm install --prefix "$VENV/node" --no-audit --no-fund --loglevel=error configurable-http-proxy@5
"$VENV/node/node_modules/.bin/configurable-http-proxy" --version
