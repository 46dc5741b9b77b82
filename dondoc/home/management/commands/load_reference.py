from dondoc.core.commands import AsOfCommand
from dondoc.home import loaders


class Command(AsOfCommand):
    help = "Load reference data (agency registry, groups, organisation settings). Idempotent."

    def handle(self, *args, **options):
        loaders.run(loaders.REFERENCE_LOADERS, as_of=self.as_of(options), write=self.stdout.write)
