"""make bench: load-test the site under gunicorn on loopback; the work is in portal/bench/."""

import argparse
import json
import time

from django.core.management.base import BaseCommand

from portal.bench.breakdown import where_time_goes
from portal.bench.pages import count_queries
from portal.bench.report import print_report, save
from portal.bench.runner import run_benchmark
from portal.bench.servers import require_tools


class Command(BaseCommand):
    help = "Benchmark the site under gunicorn on 127.0.0.1, as ratios to a minimal Django view."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2).")
        parser.add_argument("--seconds", type=int, default=4, help="wrk run per page (4).")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections (16).")
        parser.add_argument("--resources", type=int, default=10_000)
        parser.add_argument(
            "--skip-scaling", action="store_true", help="Leave out the 100,000-resource step."
        )
        # The run calls the command again with this, in a process with the servers' settings.
        parser.add_argument("--count-queries", nargs="*", help=argparse.SUPPRESS)
        # Likewise: [[label, username or null, path], ...] as JSON.
        parser.add_argument("--where-time-goes", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["count_queries"] is not None:
            self.stdout.write(json.dumps(count_queries(options["count_queries"])))
            return
        if options["where_time_goes"] is not None:
            pages = json.loads(options["where_time_goes"])
            self.stdout.write(json.dumps(where_time_goes(pages)))
            return
        require_tools()
        report = run_benchmark(
            workers=options["workers"],
            seconds=options["seconds"],
            connections=options["connections"],
            resources=options["resources"],
            skip_scaling=options["skip_scaling"],
            step=self.step,
        )
        print_report(report, self.stdout.write)
        self.stdout.write(f"written to {save(report)}")

    def step(self, message):
        self.stdout.write(f"[{time.strftime('%H:%M:%S')}] {message}")
        self.stdout.flush()
