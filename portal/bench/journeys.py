"""Whole enquiry journeys: contact form, check answers, send, confirmation."""

import re
import threading
import time
from urllib.parse import urlencode

from portal.bench.client import Client


def send_enquiry(base):
    """One journey as a visitor makes it; an AssertionError says which step failed."""
    # Imported here: the models need the app registry, and importing this module must not.
    from enquiries.forms import NOT_STARTED
    from enquiries.models import ServiceArea

    client = Client(base)
    response, body = client.request("GET", "/contact/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    answers = {
        "csrfmiddlewaretoken": token,
        "name": "Bench Mark",
        "email": "bench@example.org",
        "contact_method": "email",
        "organisation": "Benchmark council",
        "organisation_type": "local-authority",
        "role": "manager",
        "service_area": ServiceArea.values[0],
        "stage": NOT_STARTED,
        "message": "A question sent by the benchmark.",
        "privacy": "on",
    }
    response, body = client.request("POST", "/contact/", body=urlencode(answers))
    assert response.status == 302, f"contact form answered {response.status}"
    response, body = client.request("GET", response.headers["Location"])
    html = body.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    send = re.search(r'name="token" value="([^"]+)"', html).group(1)
    response, body = client.request(
        "POST",
        "/contact/check-your-answers/",
        body=urlencode({"csrfmiddlewaretoken": token, "token": send}),
    )
    assert response.status == 302, f"sending answered {response.status}"
    response, body = client.request("GET", response.headers["Location"])
    assert b"MIS-" in body, "no reference on the confirmation page"


def enquiry_journeys(base, baseline, threads=4, each=10):
    """Several journeys at once, timed, with p50 as a ratio to the minimal view's."""
    times, failures = [], []

    def journeys():
        for _ in range(each):
            started = time.perf_counter()
            try:
                send_enquiry(base)
            except (AssertionError, OSError) as error:
                failures.append(str(error))
            times.append(time.perf_counter() - started)

    workers = [threading.Thread(target=journeys) for _ in range(threads)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    times.sort()
    return {
        "journeys": len(times),
        "failures": len(failures),
        "journeys_per_second": len(times) / elapsed,
        "p50_ms": times[len(times) // 2] * 1000,
        "p95_ms": times[int(len(times) * 0.95) - 1] * 1000,
        "p50_ratio": times[len(times) // 2] * 1000 / baseline["p50_ms"],
    }
