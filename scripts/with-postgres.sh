#!/usr/bin/env bash
# Run a command against a throw-away PostgreSQL cluster on a free loopback port under var/.
# The cluster is stopped and removed when the command ends, whether it passed or failed.
#   scripts/with-postgres.sh .venv/bin/pytest
set -euo pipefail

pgbin=$(dirname "$(compgen -G "/usr/lib/postgresql/*/bin/initdb" | sort -V | tail -1)")
mkdir -p var
base="$PWD/var"
if [ "$(id -u)" -eq 0 ] && ! runuser -u postgres -- test -x "$base"; then
    # The checkout lies where the postgres user cannot reach (e.g. under /root): use /tmp instead.
    base=/tmp
fi
dir=$(mktemp -d "$base/renkei-pg-XXXXXX")
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root: the cluster belongs to the package's postgres user.
    chown postgres:postgres "$dir"
    as_owner=(runuser -u postgres --)
fi

stop_cluster() {
    "${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop_cluster EXIT

"${as_owner[@]}" "$pgbin/initdb" -D "$dir/data" -A trust -U renkei -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_owner[@]}" "$pgbin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
echo "PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

DATABASE_URL="postgres://renkei@127.0.0.1:$port/renkei_main" "$@"
