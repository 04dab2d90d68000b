#!/usr/bin/env bash
# Make sure Debian packages are installed: as root, apt-get installs the missing ones; otherwise
# stop with the exact command to run. Usage: tools/need-debs.sh WHAT PACKAGE...
set -euo pipefail
what="$1"; shift
if ! command -v dpkg-query >/dev/null; then
  echo "note: not a Debian system; $what needs the equivalents of: $*" >&2
  exit 0
fi
missing=()
for package in "$@"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  echo "== installing Debian packages for $what: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "$what needs Debian packages that are not installed. Run, then try again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
