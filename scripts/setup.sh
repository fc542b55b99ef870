# Source this file from the repository root: provides Node 24 (scripts/node-env.sh) and installs the
# dependencies when package-lock.json or the Node version changed (the re2 build takes a minute).
# shellcheck source=scripts/node-env.sh
. "$(dirname "${BASH_SOURCE[0]:-$0}")/node-env.sh"
aigate_stamp="node_modules/.aigate-install-stamp"
aigate_want="$(node -v) $(sha256sum package-lock.json | cut -d' ' -f1)"
if [ ! -f "$aigate_stamp" ] || [ "$(cat "$aigate_stamp")" != "$aigate_want" ]; then
  npm ci --no-audit --no-fund && echo "$aigate_want" > "$aigate_stamp"
fi
