"""Checks that resources' web addresses still answer, a few at a time, with short timeouts."""

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
from django.db.models import Q
from django.utils import timezone

from .models import Resource

USER_AGENT = "MutualsInformationService-LinkChecker/1.0 (+https://www.gov.uk/)"
MAX_REDIRECTS = 5
# Statuses with which some servers refuse HEAD while answering GET.
HEAD_REFUSED = {403, 405, 501}


def broken_link_condition():
    """Resources whose last link check failed or answered with an error status."""
    return ~Q(link_error="") | Q(link_status__gte=400)


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None = None
    error: str = ""

    @property
    def is_broken(self):
        return bool(self.error) or self.status is None or self.status >= 400

    def describe(self):
        return self.error or str(self.status)


def short_error(error):
    """A few words an editor can act on, instead of a stack trace."""
    if isinstance(error, httpx.TimeoutException):
        return "Timed out"
    if isinstance(error, httpx.TooManyRedirects):
        return "Too many redirects"
    if isinstance(error, httpx.ConnectError):
        return "Could not connect"
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return "Not a web address that can be checked"
    if isinstance(error, httpx.RemoteProtocolError):
        return "The server's answer was not valid"
    return f"Request failed ({type(error).__name__})"[:200]


async def _get_status(client, url):
    # Streamed, so a large document is never downloaded just to learn its status.
    async with client.stream("GET", url) as response:
        return response.status_code


async def check_url(client, url):
    """HEAD first; GET when HEAD is refused or fails other than by timing out."""
    try:
        response = await client.head(url)
        if response.status_code not in HEAD_REFUSED:
            return LinkResult(url, status=response.status_code)
    except httpx.TimeoutException as error:
        return LinkResult(url, error=short_error(error))
    except (httpx.HTTPError, httpx.InvalidURL):
        pass
    try:
        return LinkResult(url, status=await _get_status(client, url))
    except (httpx.HTTPError, httpx.InvalidURL) as error:
        return LinkResult(url, error=short_error(error))


async def check_urls(urls, *, concurrency=8, timeout=10.0, on_result=None, transport=None):
    """Check each address with at most `concurrency` requests in flight; results in input order."""
    semaphore = asyncio.Semaphore(concurrency)
    done = 0

    async def check(client, url):
        nonlocal done
        async with semaphore:
            try:
                # A server that trickles its headers could outlast the per-read timeout.
                async with asyncio.timeout(timeout * 3):
                    result = await check_url(client, url)
            except TimeoutError:
                result = LinkResult(url, error="Timed out")
            except Exception as error:  # one odd address must not stop the whole run
                result = LinkResult(url, error=short_error(error))
        done += 1
        if on_result:
            on_result(done, result)
        return result

    async with httpx.AsyncClient(
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(timeout),
        headers={"User-Agent": USER_AGENT},
        transport=transport,
    ) as client:
        return await asyncio.gather(*(check(client, url) for url in urls))


def run_to_completion(coroutine):
    """asyncio.run(), also where this thread already runs an event loop, which it refuses.

    The weekly check runs as a task, and a task runner may keep a loop of its own in its
    thread (as the browser tests' one does); the checks then get a fresh loop in a thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def check_resource_links(
    queryset=None, *, concurrency=8, timeout=10.0, on_start=None, on_result=None
):
    """Check the published resources' web addresses and record what each check found.

    Results are saved with update(), so a routine check neither adds a history entry nor
    changes the resource's modified time.
    """
    queryset = queryset if queryset is not None else Resource.objects.published()
    rows = list(queryset.exclude(external_url="").order_by("pk").values_list("pk", "external_url"))
    if on_start:
        on_start(len(rows))
    results = run_to_completion(
        check_urls(
            [url for _, url in rows],
            concurrency=concurrency,
            timeout=timeout,
            on_result=on_result,
        )
    )
    checked_at = timezone.now()
    for (pk, _), result in zip(rows, results, strict=True):
        Resource.objects.filter(pk=pk).update(
            link_status=result.status, link_error=result.error, link_checked_at=checked_at
        )
    return results
