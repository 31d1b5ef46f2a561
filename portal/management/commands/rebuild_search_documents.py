from django.core.management.base import BaseCommand
from django.db import transaction

from portal.site_search.documents import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the site search's documents from every published item. Saving an item keeps "
        "its document current; run this once after migrating, or after writing rows in bulk."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            rebuild()
        self.stdout.write(self.style.SUCCESS("Search documents rebuilt."))
