#!/usr/bin/env bash
# Installs the Debian packages Minsheng needs: Pango for WeasyPrint, a CJK font for official
# documents, the time-zone data (deadlines are counted in Beijing's dates), PostgreSQL and
# OpenLDAP servers that the tests start themselves, Chromium for the browser tests (Playwright's
# driver needs libatomic1), and poppler-utils so tests can read text back out of generated PDFs.
# Idempotent: does nothing when everything is present. Needs root (or sudo) only when installing.
#
#   scripts/system-packages.sh run    what running the suite needs
#   scripts/system-packages.sh test   that plus the servers and tools the tests start
set -euo pipefail

pkgs=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk tzdata)
if [ "${1:-test}" = "test" ]; then
  pkgs+=(poppler-utils postgresql slapd ldap-utils openssl chromium libatomic1)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
echo "Installing system packages: ${missing[*]}"
# Keep Debian from creating a cluster on 5432 and from configuring a slapd database:
# the tests start their own throwaway servers.
$SUDO mkdir -p /etc/postgresql-common/createcluster.d
echo 'create_main_cluster = false' | $SUDO tee /etc/postgresql-common/createcluster.d/no-main.conf >/dev/null
echo 'slapd slapd/no_configuration boolean true' | $SUDO debconf-set-selections
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
