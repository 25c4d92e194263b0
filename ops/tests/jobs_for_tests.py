"""Jobs that only the tests enqueue (the worker imports them by path, as any job)."""

import time

from django_tasks import task


@task(priority=10)
def slow(seconds: float, label: str) -> str:
    time.sleep(seconds)
    return f"done {label}"
