# Shared by the documented field runs (fault-run.sh, pool-run.sh): finding PostgreSQL's server binaries, a work
# directory the server's user can write to, and a free loopback port. Source it after setting RUN_NAME.

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
