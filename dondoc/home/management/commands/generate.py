import json
import time

from django.core.management.base import BaseCommand, CommandError

from dondoc.home import generate


class Command(BaseCommand):
    help = ("Add reproducible SYNTHETIC data on top of the demo (run after `dondoc load_demo`): five years of a large "
            "province (--scale large) or three times that (xlarge). For benchmarks and evaluation; never in "
            "production. Refuses to run twice on the same database.")
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, help="large or xlarge")
        parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same data)")
        parser.add_argument("--json", action="store_true", help="print the counts added as a JSON object")

    def handle(self, *args, **options):
        scale = options["scale"]
        if scale not in generate.SCALES:
            raise CommandError(f"--scale: unknown scale {scale!r}; choose {' or '.join(generate.PUBLIC_SCALES)}",
                               returncode=2)
        started = time.monotonic()
        write = (lambda line: None) if options["json"] else self.stdout.write
        try:
            added = generate.generate(scale=scale, seed=options["seed"], write=write)
        except generate.Refused as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if options["json"]:
            self.stdout.write(json.dumps(added))
            return
        for kind, count in added.items():
            self.stdout.write(f"{kind.replace('_', ' ')}: {count:,} added")
        self.stdout.write(f"generated {scale} (seed {options['seed']}) in {time.monotonic() - started:.0f} s")
