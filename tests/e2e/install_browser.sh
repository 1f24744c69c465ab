#!/usr/bin/env bash
# Installs what the end-to-end test needs from Debian, when it is missing: the `chromium`
# browser (Playwright drives it; it downloads no browser of its own) and a CJK font, without
# which the Korean Playground shows boxes. Usage: bash tests/e2e/install_browser.sh
# Needs root or password-less sudo when something is missing; prints what to install otherwise.
set -euo pipefail

PACKAGES=(chromium fonts-noto-cjk)

have_chromium() {
    if [ -n "${CBTEACH_CHROMIUM:-}" ]; then  # the test's own override of the browser
        [ -x "$CBTEACH_CHROMIUM" ]
    else
        command -v chromium >/dev/null 2>&1
    fi
}

have_cjk_font() {
    command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=ko family 2>/dev/null)" ]
}

if have_chromium && have_cjk_font; then
    echo "e2e: $(chromium --version 2>/dev/null || echo chromium) and a Korean font are installed"
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "e2e: chromium or a Korean (CJK) font is missing, and installing them needs root." >&2
    echo "e2e: install them, then run make e2e again:" >&2
    echo "    sudo apt-get install -y --no-install-recommends ${PACKAGES[*]}" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "e2e: no apt-get here; install Chromium and a CJK font (Noto Sans CJK)," \
        "with chromium on PATH, then run make e2e again." >&2
    exit 1
fi

echo "e2e: installing ${PACKAGES[*]} with apt-get"
started=$(date +%s)
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -q
"${SUDO[@]}" apt-get install -y -q --no-install-recommends "${PACKAGES[@]}"
echo "e2e: apt-get took $(($(date +%s) - started)) s"

if ! have_chromium || ! have_cjk_font; then
    echo "e2e: apt-get finished, but chromium or the CJK font is still missing" >&2
    exit 1
fi
echo "e2e: $(chromium --version 2>/dev/null || echo chromium) and a Korean font are installed"
