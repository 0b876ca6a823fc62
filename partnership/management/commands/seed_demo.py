"""``manage.py seed_demo [--scale N]``: the demo data set (see ``partnership.demo``)."""

import time

from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from partnership import demo
from partnership.demo import PEOPLE


class Command(BaseCommand):
    help = (
        "Create (or complete) the demo: a provider, two clients, people of every role and a pipeline "
        "over the last 90 days. Idempotent. --scale N adds about 1,000 submissions per unit (N=100: "
        "about 100,000) for benchmarks."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="Units of about 1,000 submissions each (default 1).")

    def handle(self, *args, scale: int, verbosity: int, **options):
        if scale < 1:
            raise CommandError("--scale is a whole number of at least 1.")
        started = time.monotonic()
        created = demo.seed_demo(scale=scale, progress=self.stdout.write if verbosity >= 1 else demo._quiet)
        elapsed = time.monotonic() - started
        made = ", ".join(f"{count:,} {kind.replace('_', ' ')}" for kind, count in sorted(created.items()) if count)
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s. Created: {made or 'nothing new'}."))
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {demo.DEMO_PASSWORD})")
        width = max(len(person.email) for person in PEOPLE)
        for person in PEOPLE:
            role = User.Role(person.role).label
            self.stdout.write(f"  {person.email:<{width}}  {role:<16}  {person.full_name}: {person.shows}")
        self.stdout.write("")
        self.stdout.write(
            "Both partnerships come with their history: open and resolved issues, wins and suggested wins, "
            "and six months of two-way pulse surveys."
        )
