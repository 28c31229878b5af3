"""gunicorn's settings for `make serve` and production (docs/deployment.md, "Web server").
Each comes from the environment, with a default for one small machine."""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Sync workers: each request is short (the slow work runs in the task worker), and a
# worker per core and one more keeps the cores busy while one waits on the database.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
# Workers are replaced now and then, so that a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
# The default line, its duration and the worker that served it (several processes serve
# one site: docs/scale-out.md).
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms worker=%(p)s'
)
# The proxy in front (nginx, a load balancer) sets X-Forwarded-Proto; trust it only from
# the addresses given.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
