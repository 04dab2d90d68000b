#!/usr/bin/env bash
# Print the path of a Python interpreter of the given minor version (e.g. 3.10), without
# assuming it is on PATH: PATH first, then pyenv's versions, then the usual system places.
set -euo pipefail
want="${1:?usage: find-python.sh 3.10}"
candidates=()
command -v "python$want" >/dev/null 2>&1 && candidates+=("$(command -v "python$want")")
if command -v pyenv >/dev/null 2>&1; then
  for dir in "$(pyenv root)"/versions/"$want".*; do candidates+=("$dir/bin/python$want"); done
fi
for dir in "$HOME"/.pyenv/versions/"$want".*; do candidates+=("$dir/bin/python$want"); done
candidates+=("/usr/bin/python$want" "/usr/local/bin/python$want")
for python in "${candidates[@]}"; do
  if [ -x "$python" ] && "$python" -c "import sys, venv; assert sys.version.startswith('$want.')" 2>/dev/null; then
    echo "$python"
    exit 0
  fi
done
echo "find-python.sh: no Python $want found (install it with pyenv: pyenv install $want)" >&2
exit 1
