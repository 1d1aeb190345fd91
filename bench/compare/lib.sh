# Shared by the comparison scripts (sourced): what both need before they start a peer.

# Installs Debian's redis-server when it is missing (as root; otherwise says how and fails).
ensure_redis_server() {
  if ! command -v redis-server >/dev/null; then
    [ "$(id -u)" -eq 0 ] || { echo "redis-server is missing: run as root, or apt-get install redis-server" >&2; exit 1; }
    apt-get install -y redis-server >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y redis-server >/dev/null; }
  fi
}

# Installs Debian's PostgreSQL server when no initdb is found (as root; otherwise says how and fails).
ensure_postgresql() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    [ "$(id -u)" -eq 0 ] || { echo "PostgreSQL is missing: run as root, or apt-get install postgresql" >&2; exit 1; }
    apt-get install -y postgresql >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y postgresql >/dev/null; }
  fi
}

# The newest installed PostgreSQL's bin directory.
postgresql_bin() { ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1; }
