#!/usr/bin/env bash
# make loadtest: 100 students take the same quiz at once against gunicorn (4 workers) on
# PostgreSQL and Redis at 127.0.0.1, then the database is checked for every answer they sent.
#
# The server runs settings.production, as it is deployed (DEBUG off, Redis cache and sessions,
# the collected static manifest), with plain HTTP allowed on 127.0.0.1 (SECURE_SSL_REDIRECT=false).
# The database stc_loadtest is made once and kept, so later runs skip the long first migration;
# each run deletes the quiz's attempts and signs the students in afresh.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
STUDENTS=${STUDENTS:-100}
QUESTIONS=${QUESTIONS:-10}
BIND=${LOADTEST_BIND:-127.0.0.1:8765}
DATABASE=${LOADTEST_DATABASE:-stc_loadtest}
PG="-h 127.0.0.1 -p 5432 -U postgres"

export DJANGO_SETTINGS_MODULE=settings.production
export SECRET_KEY=loadtest-only-not-secret
export ALLOWED_HOSTS=127.0.0.1
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DATABASE"
export REDIS_URL=redis://127.0.0.1:6379/9
export SECURE_SSL_REDIRECT=false
export EMAIL_BACKEND=django.core.mail.backends.locmem.EmailBackend

pg_isready $PG -q || { echo "PostgreSQL does not answer on 127.0.0.1:5432 (trust auth, user postgres)." >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { echo "Redis does not answer on 127.0.0.1:6379." >&2; exit 1; }
if (exec 3<>"/dev/tcp/${BIND%:*}/${BIND#*:}") 2>/dev/null; then
  echo "Something already listens on $BIND: stop it, or set LOADTEST_BIND." >&2
  exit 1
fi

work=$(mktemp -d)
server=""
stop() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap stop EXIT
trap 'exit 130' INT TERM

started=$SECONDS
if ! psql $PG -tAc "SELECT 1 FROM pg_database WHERE datname = '$DATABASE'" | grep -q 1; then
  echo "Creating the database $DATABASE (the first migration takes a minute)..."
  createdb $PG "$DATABASE"
fi
$PY manage.py migrate --noinput -v0
$PY manage.py collectstatic --noinput -v0
redis-cli -h 127.0.0.1 -p 6379 -n 9 flushdb >/dev/null
$PY -m loadtest.seed --students "$STUDENTS" --questions "$QUESTIONS" --plan "$work/plan.json"

echo "Starting gunicorn home.wsgi with 4 workers on $BIND ($((SECONDS - started))s so far)..."
$GUNICORN home.wsgi --workers 4 --bind "$BIND" --log-level warning --error-logfile "$work/gunicorn.log" &
server=$!
healthy=""
for _ in $(seq 100); do
  if $PY -c "import urllib.request; urllib.request.urlopen('http://$BIND/healthz/', timeout=2)" 2>/dev/null; then
    healthy=1; break
  fi
  kill -0 "$server" 2>/dev/null || break
  sleep 0.3
done
if [ -z "$healthy" ]; then
  echo "gunicorn did not answer /healthz/ on $BIND:" >&2; cat "$work/gunicorn.log" >&2; exit 1
fi

status=0
$PY -m loadtest.quiz_load --plan "$work/plan.json" --base-url "http://$BIND" --server-pid "$server" || status=$?
if [ -s "$work/gunicorn.log" ]; then
  echo "gunicorn's error log:"; tail -n 20 "$work/gunicorn.log"
fi
echo "Done in $((SECONDS - started))s."
exit $status
