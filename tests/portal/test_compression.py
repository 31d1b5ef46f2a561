"""Compressed answers (portal/middleware.py GZipMiddleware): a page the page cache keeps at
zlib's default effort, a page made for one answer at the fastest level, both padded against
BREACH."""

import gzip

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.middleware import GZipMiddleware

# The gzip header's "extra flags" byte: 4 for the fastest level, 0 for the default.
EXTRA_FLAGS = 8
FASTEST, DEFAULT = 4, 0


def gzip_client():
    return Client(headers={"accept-encoding": "gzip, deflate, br"})


def padding(content):
    """The length of the file name in a gzip header, which is the random padding."""
    assert content[3] & gzip.FNAME
    return content.index(b"\0", 10) - 10


def test_a_page_the_cache_keeps_is_compressed_at_the_default_level(page_cache, shipped):
    response = gzip_client().get(reverse("portal:home"))

    assert response["Content-Encoding"] == "gzip"
    assert response.content[EXTRA_FLAGS] == DEFAULT
    assert gzip.decompress(response.content).decode().startswith("<!DOCTYPE html>")


def test_a_page_made_for_one_answer_is_compressed_at_the_fastest_level(page_cache, shipped):
    plain = Client().get(reverse("enquiries:contact"))
    response = gzip_client().get(reverse("enquiries:contact"))

    assert response.cookies  # its form's token: never kept for other visitors
    assert response["Content-Encoding"] == "gzip"
    assert response.content[EXTRA_FLAGS] == FASTEST
    assert response["Content-Length"] == str(len(response.content))
    assert "Accept-Encoding" in response["Vary"]
    # The same page but for the form's token, which is new for each answer.
    token = 'name="csrfmiddlewaretoken"'
    page = gzip.decompress(response.content).decode()
    assert page.split(token)[0] == plain.content.decode().split(token)[0]


def test_a_search_is_compressed_at_the_fastest_level(page_cache, shipped):
    response = gzip_client().get(reverse("portal:search"), {"q": "pension"})

    assert response.content[EXTRA_FLAGS] == FASTEST
    assert "<h1" in gzip.decompress(response.content).decode()


def test_every_compressed_answer_is_padded_by_a_random_length(page_cache, shipped):
    lengths = {
        padding(gzip_client().get(reverse("portal:search"), {"q": "pension"}).content)
        for _ in range(20)
    }

    # 20 draws from 100 lengths all alike: one chance in 10**38.
    assert len(lengths) > 1
    assert max(lengths) < GZipMiddleware.max_random_bytes


@pytest.mark.parametrize(
    ("accept", "body", "compressed"),
    [
        ("gzip", b"x" * 500, True),
        ("identity", b"x" * 500, False),
        ("gzip", b"short", False),  # not worth compressing
    ],
)
def test_an_answer_is_compressed_only_when_asked_and_worth_it(accept, body, compressed):
    request = RequestFactory().get("/search/?q=x", HTTP_ACCEPT_ENCODING=accept)
    response = HttpResponse(body)
    response["ETag"] = '"abc"'

    answer = GZipMiddleware(lambda request: response)(request)

    assert answer.has_header("Content-Encoding") == compressed
    if compressed:
        assert gzip.decompress(answer.content) == body
        assert answer["ETag"] == 'W/"abc"'  # the strong ETag named the plain bytes
        assert answer["Vary"] == "Accept-Encoding"
    else:
        assert answer.content == body
        assert answer["ETag"] == '"abc"'
