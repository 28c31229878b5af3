#!/usr/bin/env bash
# What WeasyPrint needs to make PDFs (docs/adr/0021): Pango and fontconfig, and the Japanese
# and Cyrillic fonts from Debian's packages (Noto Sans CJK, DejaVu Sans). Installs what is
# missing when run as root; otherwise says what to install. Quiet when all is there.
set -euo pipefail

PACKAGES="libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-noto-cjk fonts-dejavu-core"

# Read each listing whole before searching it: `grep -q` stopping early would otherwise end
# the pipe with SIGPIPE, which `pipefail` counts as a failure.
have_all() {
    local libs fonts
    libs=$({ ldconfig -p || /sbin/ldconfig -p; } 2>/dev/null || true)
    grep -q "libpangoft2-1.0.so.0" <<<"$libs" || return 1
    command -v fc-list >/dev/null || return 1
    fonts=$(fc-list 2>/dev/null || true)
    grep -qi "Noto Sans CJK" <<<"$fonts" || return 1
    grep -qi "DejaVu Sans" <<<"$fonts" || return 1
}

if have_all; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-pdf-deps: install Debian's packages $PACKAGES (as root: apt-get install $PACKAGES)" >&2
    exit 70
fi
echo "ensure-pdf-deps: installing $PACKAGES" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $PACKAGES >&2 \
    || { apt-get update -q >&2 && apt-get install -y -q --no-install-recommends $PACKAGES >&2; }
have_all || { echo "ensure-pdf-deps: still missing after the install" >&2; exit 70; }
