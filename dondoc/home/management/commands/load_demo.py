from dondoc.core.commands import AsOfCommand
from dondoc.home import loaders


class Command(AsOfCommand):
    help = "Load reference data, the demo data set and the demo accounts. Idempotent. Never run in production."

    def handle(self, *args, **options):
        as_of = self.as_of(options)
        loaders.run(loaders.REFERENCE_LOADERS + loaders.DEMO_LOADERS, as_of=as_of, write=self.stdout.write)
