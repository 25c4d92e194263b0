"""gunicorn settings for Cluster Portal: `gunicorn -c deploy/gunicorn.conf.py cluster_portal.wsgi`.

Everything can be changed from the environment (the same env file the portal reads), so one file
serves every node: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS, GUNICORN_TIMEOUT,
GUNICORN_GC_FREEZE_AFTER.
"""

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    return int(raw) if raw.strip() else default


def _on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


wsgi_app = "cluster_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Sync workers: the portal's heavy requests (rendering a protocol PDF with WeasyPrint, preparing and
# finishing a PAdES signature, parsing an upload in core.sandbox) are CPU-bound, so threads buy little.
# 2 × cores + 1 is gunicorn's rule of thumb; each worker holds one PostgreSQL connection (DB_CONN_MAX_AGE).
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "sync"

# A 20-page protocol renders in ~0.75 s and a signature takes 20–150 ms on an idle core; under load
# several times that. The upload sandbox stops a parse at SANDBOX_WALL_SECONDS (15 s), well inside this.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)  # SIGTERM: finish the requests in flight
keepalive = 5  # nginx keeps upstream connections open (keepalive in the upstream block)

# Recycle workers now and then (fonts, PDF buffers): a memory leak cannot grow without bound. Each
# recycling stalls requests for up to a second (wrk at 16 connections on two workers: p99 0.7-1.2 s
# with 2000, a recycling every ~10 s at 400 requests/s; 43 ms without), so not too often.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10

# Python's garbage collector: a worker holds ~100k long-lived objects (Django, WeasyPrint, pyHanko, the
# URLconf, compiled templates), and every full collection walked them all: 30-80 ms with the worker
# stopped, the slowest requests of a page under load (docs/PERFORMANCE.md, «Fifth session: the p99
# under gunicorn»). gc.freeze() moves what exists into a generation the collector never walks: once when
# the worker has loaded the application, once more after its first GC_FREEZE_AFTER requests (the
# URLconf, templates and per-process caches are built by then). Garbage made later is still collected.
gc_freeze_after = _int("GUNICORN_GC_FREEZE_AFTER", 200)


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def post_worker_init(worker):
    _freeze()


def post_request(worker, req, environ, resp):
    if worker.nr == gc_freeze_after:  # gunicorn's own count of the worker's requests (max_requests)
        _freeze()


# Heartbeat files in memory, not on a possibly slow disk (the Docker image has /dev/shm too).
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Only nginx talks to gunicorn; it sets X-Forwarded-Proto/-For (the portal reads SECURE_PROXY_SSL_HEADER).
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Logs to stdout/stderr (journald, docker). With LOG_JSON the portal writes one JSON line per request
# itself (ops.logs: request id, user, status, duration), so gunicorn's access log would only repeat it.
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
accesslog = None if _on("LOG_JSON") else "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms rid=%({x-request-id}i)s'

# gunicorn's control socket (gunicornc) defaults to one path per user: two nodes on one machine would take
# each other's. Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "cluster-portal")
