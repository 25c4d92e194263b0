"""A large, realistic data set for benchmarks (docs/PERFORMANCE.md); the logic is in cluster_portal/scale.py.

    python manage.py load_demo
    python manage.py generate_scale --clusters 50 --years 10 [--seed 1]
"""

import time

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from cluster_portal.scale import BIG_CLUSTER_SHORT_NAME, ScaleError, generate


class Command(BaseCommand):
    help = "Generate clusters with organisations, meetings, decisions, assignments and plans (run after load_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--clusters", type=int, default=50)
        parser.add_argument("--years", type=int, default=10, help="Years of history, ending with the current year.")
        parser.add_argument("--seed", type=int, default=1, help="Same seed (and day), same data.")

    def handle(self, *args, clusters, years, seed, verbosity=1, **options):
        started, started_cpu = time.perf_counter(), time.process_time()

        def progress(done, total):
            if verbosity >= 2 or done == total or done % 10 == 0:
                self.stdout.write(f"  cluster {done}/{total}, {time.perf_counter() - started:.1f} s")

        try:
            created = generate(clusters=clusters, years=years, seed=seed, progress=progress)
        except ScaleError as error:
            raise CommandError(str(error)) from None
        with connection.cursor() as cursor:  # planner statistics for the bulk-loaded rows, before anyone benchmarks
            cursor.execute("ANALYZE")
        wall, cpu = time.perf_counter() - started, time.process_time() - started_cpu
        self.stdout.write(f"{'table':<48} {'created':>9} {'in total':>9}")
        for label, count in created.items():
            model = apps.get_model(label)
            self.stdout.write(f"{model._meta.db_table:<48} {count:>9} {model.objects.count():>9}")
        self.stdout.write(f"{'all rows':<48} {sum(created.values()):>9}")
        self.stdout.write(self.style.SUCCESS(
            f"Generated {clusters} clusters × {years} years (seed {seed}) in {wall:.1f} s ({cpu:.1f} s CPU of this process). "
            f"The demo logins secretary, chair and member have their roles in «{BIG_CLUSTER_SHORT_NAME}»."
        ))
