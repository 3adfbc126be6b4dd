#!/bin/sh
# The image's entrypoint: one image, the process chosen by the command.
#   web      gunicorn (the default)         worker   the task worker
#   migrate  apply migrations               manage   any manage.py command, e.g. `manage createsuperuser`
# Anything else is run as given.
set -eu
process_file="${SLUSS_PROCESS_FILE:-/tmp/sluss-process}"
command="${1:-web}"
[ "$#" -gt 0 ] && shift
case "$command" in
  web)
    echo web >"$process_file"
    exec gunicorn -c /app/deploy/gunicorn.conf.py sluss.wsgi "$@"
    ;;
  worker)
    echo worker >"$process_file"
    exec python manage.py worker "$@"
    ;;
  migrate)
    exec python manage.py migrate --noinput "$@"
    ;;
  manage)
    exec python manage.py "$@"
    ;;
  *)
    exec "$command" "$@"
    ;;
esac
