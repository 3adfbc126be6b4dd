"""Start the whole system for development: the task worker and the web server together."""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the task worker in the background and the web server in the foreground."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default=None)

    def handle(self, *args, addrport=None, **options):
        addrport = addrport or f"127.0.0.1:{os.environ.get('PORT', '8000')}"
        # The same worker as in production (manage.py worker): it beats for /readyz and
        # puts the first run of the periodic jobs in the queue.
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "worker", "--no-reload", "--interval", "1"],
        )
        self.stdout.write(self.style.SUCCESS(f"Task worker started (pid {worker.pid})."))
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
