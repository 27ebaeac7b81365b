#!/usr/bin/env bash
# Rewrite requirements.lock: the runtime dependencies pyproject.toml resolves to today, in a clean venv.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet --upgrade pip
"$work/venv/bin/pip" install --quiet "$root"
{
    echo "# Runtime dependencies as tested, for pip install -c requirements.lock (./dev) and pip-audit."
    echo "# Refresh: scripts/lock.sh"
    "$work/venv/bin/pip" freeze --exclude bluehats
} > "$root/requirements.lock"
echo "requirements.lock: $(grep -vc '^#' "$root/requirements.lock") packages"
