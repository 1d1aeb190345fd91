# Shared by the comparison scripts (sourced): what both need before they start a peer.

# Installs Debian's redis-server when it is missing (as root; otherwise says how and fails).
ensure_redis_server() {
  if ! command -v redis-server >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "redis-server is missing: run as root, or apt-get install redis-server" >&2; exit 1; }
    apt-get install -y redis-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y redis-server >/dev/null; }
  fi
}
