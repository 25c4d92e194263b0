#!/usr/bin/env bash
# Deployment smoke test, on this machine without containers: the production processes as they run on
# real servers — a fresh PostgreSQL database (on the server at 127.0.0.1:5432), a local S3-compatible
# store (moto_server), two gunicorn nodes started with deploy/gunicorn.conf.py, the worker, and nginx
# with deploy/nginx/cluster-portal.conf in front — then a user journey across them
# (deploy/smoke_journey.py), with a node and the worker killed on the way.
# Prints `smoke: OK <n> steps, <s> s`, exits non-zero on any failure, and stops everything it started.
#
#   bash deploy/smoke.sh            # SMOKE_KEEP=1 keeps the work folder (logs, mail, nginx.conf)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
PY="$ROOT/.venv/bin/python"
START=$SECONDS

PGHOST_URL=${SMOKE_PG:-postgres://postgres@127.0.0.1:5432}
DB="cp_smoke_$$"
WORK=$(mktemp -d /tmp/cp-smoke.XXXXXX)
mkdir -p "$WORK"/{mail,media,pki,nginx,pids,logs}
chmod 711 "$WORK"  # nginx's workers (another user when started as root) read the static files in it
STEPS=0
step() { STEPS=$((STEPS + 1)); echo "smoke: [$STEPS] $* (at $((SECONDS - START)) s)"; }

stop_group() {  # a process group started by `setsid`: TERM, then KILL whatever is left
  local file=$1 pgid
  [ -f "$file" ] || return 0
  pgid=$(cat "$file")
  kill -TERM -- "-$pgid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
  rm -f "$file"
}

CHILD=""
run() {  # a long step in the background, so that a TERM/INT reaches the trap at once, not after it
  "$@" &
  CHILD=$!
  wait "$CHILD"
  CHILD=""
}

cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  set +e  # stop everything, whatever fails on the way
  # the step running in the background and collectstatic; the services by process group
  [ -n "$CHILD" ] && kill -TERM "$CHILD" 2>/dev/null
  [ -n "${COLLECT:-}" ] && kill -TERM "$COLLECT" 2>/dev/null
  for file in "$WORK"/pids/*.pid; do stop_group "$file"; done
  wait 2>/dev/null
  psql "$PGHOST_URL/postgres" -qAtc "DROP DATABASE IF EXISTS \"$DB\" WITH (FORCE)" >/dev/null 2>&1 || true
  if [ "$rc" -ne 0 ]; then
    echo "smoke: FAILED (exit $rc) after $((SECONDS - START)) s; last log lines:" >&2
    for log in "$WORK"/logs/*.log "$WORK"/nginx/error.log; do
      [ -s "$log" ] && { echo "--- $log" >&2; tail -n 25 "$log" >&2; }
    done
  fi
  if [ "${SMOKE_KEEP:-0}" = 1 ]; then echo "smoke: kept $WORK" >&2; else rm -rf "$WORK"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v nginx >/dev/null || { echo "smoke: nginx is not installed (apt-get install nginx)" >&2; exit 1; }
[ -x "$ROOT/.venv/bin/moto_server" ] || { echo "smoke: .venv/bin/moto_server missing (make install)" >&2; exit 1; }

# Four free ports: S3, node A, node B, nginx.
read -r S3_PORT NODE_A NODE_B WEB_PORT < <("$PY" - <<'EOF'
import socket
sockets = [socket.socket() for _ in range(4)]
for s in sockets:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in sockets])
EOF
)

# The production settings (DEBUG off), with plain HTTP instead of TLS and the demo CA trusted.
export DJANGO_SETTINGS_MODULE=cluster_portal.settings
export DEBUG=0 SECRET_KEY="smoke-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
export ALLOWED_HOSTS=127.0.0.1,localhost SITE_URL="http://127.0.0.1:$WEB_PORT"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0 SECURE_HSTS_SECONDS=0
export DATABASE_URL="$PGHOST_URL/$DB"
export AWS_STORAGE_BUCKET_NAME=portal-media AWS_S3_ENDPOINT_URL="http://127.0.0.1:$S3_PORT"
export AWS_ACCESS_KEY_ID=smoke-key AWS_SECRET_ACCESS_KEY=smoke-secret AWS_S3_REGION_NAME=us-east-1
export MEDIA_ROOT="$WORK/media" STATIC_ROOT="$WORK/static" DEMO_MODE=1 DEMO_PKI_DIR="$WORK/pki"
export EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend EMAIL_FILE_PATH="$WORK/mail"
export WORKER_HEARTBEAT_SECONDS=1 WORKER_STALE_SECONDS=4 REMINDERS_EVERY_MINUTES=0 TASK_RETRY_DELAY_SECONDS=1
export LOG_JSON=1 STATIC_BROTLI=0 GUNICORN_WORKERS=2 GUNICORN_TIMEOUT=60
unset TASKS_BACKEND REDIS_URL CACHE_BACKEND CACHE_LOCATION
export SMOKE_WORK="$WORK" SMOKE_NODE_A="http://127.0.0.1:$NODE_A" SMOKE_NODE_B="http://127.0.0.1:$NODE_B"
export SMOKE_NGINX="http://127.0.0.1:$WEB_PORT"

wait_http() {  # URL [seconds]: until it answers 200
  local url=$1 limit=${2:-60}
  for _ in $(seq $((limit * 5))); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)" = 200 ] && return 0
    sleep 0.2
  done
  echo "smoke: $url did not answer 200 within $limit s" >&2
  return 1
}

start() {  # NAME COMMAND...: in its own process group, logs in $WORK/logs/NAME.log
  local name=$1; shift
  setsid "$@" >>"$WORK/logs/$name.log" 2>&1 < /dev/null &
  echo $! >"$WORK/pids/$name.pid"
}

step "database $DB"
psql "$PGHOST_URL/postgres" -qAtc "CREATE DATABASE \"$DB\"" >/dev/null

step "S3-compatible store (moto_server) on :$S3_PORT, bucket $AWS_STORAGE_BUCKET_NAME"
start s3 "$ROOT/.venv/bin/moto_server" -H 127.0.0.1 -p "$S3_PORT"
wait_http "$AWS_S3_ENDPOINT_URL/moto-api/" 30
"$PY" -c "
import boto3, os
boto3.client('s3', endpoint_url=os.environ['AWS_S3_ENDPOINT_URL']).create_bucket(Bucket=os.environ['AWS_STORAGE_BUCKET_NAME'])"

step "migrate, load_demo, collectstatic"
"$PY" manage.py collectstatic --noinput >"$WORK/logs/collectstatic.log" 2>&1 &  # needs no database
COLLECT=$!
run "$PY" manage.py migrate --noinput >"$WORK/logs/migrate.log" 2>&1
run "$PY" manage.py load_demo --force >"$WORK/logs/load_demo.log" 2>&1
wait "$COLLECT"  # (the wait builtin itself is interrupted by a trapped signal)

step "two gunicorn nodes on :$NODE_A and :$NODE_B, the worker"
start node_a env GUNICORN_BIND="127.0.0.1:$NODE_A" GUNICORN_PROC_NAME=cp-smoke-a \
  "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py
start node_b env GUNICORN_BIND="127.0.0.1:$NODE_B" GUNICORN_PROC_NAME=cp-smoke-b \
  "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py
# the journey restarts the worker with this same script after killing it
cat >"$WORK/start_worker.sh" <<EOF
#!/usr/bin/env bash
cd "$ROOT"
setsid "$PY" manage.py run_worker --no-reload --no-startup-delay --interval 0.5 >>"$WORK/logs/worker.log" 2>&1 < /dev/null &
echo \$! >"$WORK/pids/worker.pid"
EOF
bash "$WORK/start_worker.sh"

step "nginx on :$WEB_PORT in front of both nodes"
"$PY" deploy/nginx_for_smoke.py --prefix "$WORK/nginx" --port "$WEB_PORT" \
  --node "127.0.0.1:$NODE_A" --node "127.0.0.1:$NODE_B" --static-root "$STATIC_ROOT" >"$WORK/nginx/nginx.conf"
nginx -t -q -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" 2>"$WORK/logs/nginx-test.log"
start nginx nginx -e "$WORK/nginx/error.log" -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "daemon off;"

wait_http "$SMOKE_NODE_A/readyz"
wait_http "$SMOKE_NODE_B/readyz"
wait_http "$SMOKE_NGINX/healthz" 30

step "user journey"
run "$PY" deploy/smoke_journey.py
JOURNEY=$(cat "$WORK/journey-steps")

echo "smoke: OK $((STEPS + JOURNEY)) steps, $((SECONDS - START)) s"
