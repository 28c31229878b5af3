#!/usr/bin/env bash
# Serve the demo: the task worker (daily certification expiries, core/schedule.py) in the
# background and the web server in the foreground. Stopping the server (Ctrl-C) stops both.
#
#   scripts/serve-demo.sh PYTHON PORT
set -euo pipefail

PY=${1:?python}
PORT=${2:?port}

"$PY" manage.py schedule_daily_tasks
"$PY" manage.py db_worker --interval 5 --no-reload >var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM
echo "Task worker started (pid $worker, log in var/worker.log)."
"$PY" manage.py runserver "127.0.0.1:$PORT"
