from django.core.management.base import BaseCommand, CommandError

from guides.library.links import check_resource_links


def positive_int(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def positive_float(value):
    number = float(value)
    if not number > 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Check the web address of every published resource and record the answer, so the "
        "admin can list broken links. Exits 0 even when links are broken, unless "
        "--fail-on-broken is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--concurrency",
            type=positive_int,
            default=8,
            help="How many addresses to check at once (default 8).",
        )
        parser.add_argument(
            "--timeout",
            type=positive_float,
            default=10.0,
            help="Seconds to wait for each answer (default 10).",
        )
        parser.add_argument(
            "--fail-on-broken",
            action="store_true",
            help="Exit with status 1 if any link is broken.",
        )

    def handle(self, *args, concurrency, timeout, fail_on_broken, **options):
        total = None

        def report(done, result):
            nonlocal total
            line = f"[{done}/{total}] {result.describe()} {result.url}"
            self.stdout.write(self.style.ERROR(line) if result.is_broken else line)
            self.stdout.flush()

        def start(count):
            nonlocal total
            total = count

        results = check_resource_links(
            concurrency=concurrency, timeout=timeout, on_start=start, on_result=report
        )
        broken = sum(result.is_broken for result in results)
        summary = f"{len(results)} checked: {len(results) - broken} OK, {broken} broken"
        self.stdout.write(self.style.WARNING(summary) if broken else self.style.SUCCESS(summary))
        if broken and fail_on_broken:
            raise CommandError(f"{broken} broken link{'s' if broken != 1 else ''}.", returncode=1)
