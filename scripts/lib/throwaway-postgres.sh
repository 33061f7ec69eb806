# Shared by the documented field runs (fault-run.sh, pool-run.sh): finding PostgreSQL's server binaries, a work
# directory the server's user can write to, a free loopback port, a cluster, and the sandbox. Source it after
# setting RUN_NAME.

# PGBIN: the directory with initdb (pg_config may name the client library of another version; Debian keeps servers
# per version under /usr/lib/postgresql).
PGBIN=$(pg_config --bindir 2>/dev/null || true)
if [ ! -x "$PGBIN/initdb" ]; then
  PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
fi
[ -x "$PGBIN/initdb" ] || { echo "$RUN_NAME: PostgreSQL server binaries (initdb) not found" >&2; exit 2; }

# WORK: a fresh directory under /tmp; RUNAS: the prefix that runs the server's tools as postgres when we are root
# (initdb refuses root).
WORK=$(mktemp -d "/tmp/whc-$RUN_NAME.XXXXXX")
chmod 755 "$WORK"
RUNAS=()
if [ "$(id -u)" = 0 ]; then RUNAS=(runuser -u postgres --); chown postgres "$WORK"; fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' 2>/dev/null || echo $((20000 + RANDOM % 20000)); }

# pg_init DIR: a cluster in DIR whose superuser is whc, trusting connections (it listens on loopback only).
pg_init() {
  "${RUNAS[@]}" "$PGBIN/initdb" -D "$1" -A trust -U whc -E UTF8 --no-sync --no-instructions >"$WORK/initdb.log" 2>&1 \
    || { cat "$WORK/initdb.log" >&2; exit 2; }
}

# sandbox_start [ARGS...]: `whcctl sandbox serve` on a free loopback port (WHCCTL must be set), waited for until it
# answers; sets SANDBOX_PID and SANDBOX (its URL) and points whcctl at it.
sandbox_start() {
  local port
  port=$(free_port)
  dotnet "$WHCCTL" sandbox serve --port "$port" "$@" >"$WORK/sandbox.log" 2>&1 &
  SANDBOX_PID=$!
  SANDBOX="http://127.0.0.1:$port"
  for _ in $(seq 1 150); do curl -fs "$SANDBOX/_sandbox/faults" >/dev/null && break; sleep 0.2; done
  curl -fs "$SANDBOX/_sandbox/faults" >/dev/null || { cat "$WORK/sandbox.log" >&2; exit 2; }
  export WHC_ENDPOINT="$SANDBOX/" WHC_CLIENT_ID=whcctl-sandbox WHC_CLIENT_SECRET=sandbox-secret NO_COLOR=1
}
