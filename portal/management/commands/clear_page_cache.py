from django.core.management.base import BaseCommand

from portal.cache import bump_content_version


class Command(BaseCommand):
    help = (
        "Make every app server drop the public pages it has cached: after a restore, a bulk "
        "change made outside the admin, or a change to a setting that pages show."
    )

    def handle(self, *args, **options):
        bump_content_version()
        self.stdout.write("Cached pages dropped; every app server renders them afresh.")
