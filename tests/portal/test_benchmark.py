from io import StringIO

from django.core.management import call_command


def test_benchmark_reports_every_page_as_a_ratio_to_the_baseline():
    out = StringIO()

    call_command("benchmark", requests=10, concurrency=2, workers=1, stdout=out)

    report = out.getvalue()
    assert report.startswith("baseline /healthz:")
    assert "/how-to-set-up-a-mutual/print/" in report
    assert "memory: gunicorn master and workers" in report
