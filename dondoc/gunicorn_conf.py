"""Gunicorn's configuration for dondoc's web process. Loaded as ``-c python:dondoc.gunicorn_conf`` (by
`dondoc serve` and deploy/systemd/dondoc-web.service), so an installed checkout finds it without a path.
Command-line options (``--bind``, ``--workers``) override these values. Environment (docs/operations.md):

  DONDOC_BIND                 address to listen on (default 127.0.0.1:8000; nginx proxies to it)
  DONDOC_WEB_WORKERS          processes (default 2: enough for a province on SQLite; more on PostgreSQL)
  DONDOC_WEB_THREADS          threads per process (default 4)
  DONDOC_WEB_TIMEOUT          seconds before a stuck request's worker is restarted (default 60; uploads are
                              parsed by the background worker, never in the request)
  DONDOC_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* headers are trusted (default 127.0.0.1,::1)
"""

import os

bind = os.environ.get("DONDOC_BIND", "127.0.0.1:8000")
wsgi_app = "dondoc.wsgi:application"
workers = int(os.environ.get("DONDOC_WEB_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("DONDOC_WEB_THREADS", "4"))
timeout = int(os.environ.get("DONDOC_WEB_TIMEOUT", "60"))
graceful_timeout = 20  # SIGTERM: requests in flight get this long to finish
keepalive = 5
max_requests = 2000  # recycle a process now and then, with jitter so they do not all restart together
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("DONDOC_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Bounded request lines and headers (an upload's size is bounded by nginx and Django's settings).
limit_request_line = 8190
limit_request_fields = 100
# Logs to the standard streams: the terminal under `dondoc serve`, the journal under systemd.
# No access log of gunicorn's own: dondoc's request middleware writes one line per request (JSON outside DEBUG,
# with the request id and the user id — dondoc/core/logs.py), so a second, plain line would only double the journal.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("DONDOC_WEB_LOG_LEVEL", "info")
proc_name = "dondoc-web"
# No control socket: several instances (tests, a second site) on one machine would share its default path.
control_socket_disable = True
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"  # heartbeat files off the disk (gunicorn's advice for containers and VMs)


def post_worker_init(worker):
    """The application is loaded: move its objects (Django, the apps, the models: a few hundred thousand) out of the
    garbage collector's sight, so that its full collections during requests walk only what requests allocate."""
    import gc

    gc.freeze()
