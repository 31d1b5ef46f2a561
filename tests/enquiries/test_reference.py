import re
import threading

import pytest
from django.db import connection, connections

from enquiries.forms import EnquiryForm
from enquiries.models import Enquiry, ReferenceCounter


def test_references_start_again_each_year(db):
    assert ReferenceCounter.next_reference(2026) == "MIS-2026-00001"
    assert ReferenceCounter.next_reference(2026) == "MIS-2026-00002"
    assert ReferenceCounter.next_reference(2027) == "MIS-2027-00001"


@pytest.mark.django_db(transaction=True)
def test_enquiries_sent_at_the_same_instant_get_different_references(enquiry_data):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL; SQLite runs one writer at a time.")
    senders = 8
    start = threading.Barrier(senders)
    errors = []

    def send():
        try:
            form = EnquiryForm(data=enquiry_data)
            assert form.is_valid(), form.errors
            start.wait(timeout=30)
            form.save()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    references = list(Enquiry.objects.values_list("reference", flat=True))
    assert len(references) == senders
    assert len(set(references)) == senders
    assert sorted(int(r[-5:]) for r in references) == list(range(1, senders + 1))
    assert all(re.fullmatch(r"MIS-\d{4}-\d{5}", r) for r in references)


def test_a_token_sends_one_enquiry_however_often_it_is_used(enquiry_data):
    form = EnquiryForm(data=enquiry_data)
    assert form.is_valid(), form.errors

    first = form.save_once("token-1")
    again = form.save_once("token-1")

    assert again == first
    assert Enquiry.objects.count() == 1
    assert first.deliveries.count() == 1 + 1  # confirmation, Mutuals Team notification


@pytest.mark.django_db(transaction=True)
def test_two_sends_of_one_form_at_the_same_instant_save_one_enquiry(enquiry_data):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrent writers need PostgreSQL; SQLite runs one writer at a time.")
    start = threading.Barrier(2)
    saved, errors = [], []

    def send():
        try:
            form = EnquiryForm(data=enquiry_data)
            assert form.is_valid(), form.errors
            start.wait(timeout=30)
            saved.append(form.save_once("the-same-token").pk)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert Enquiry.objects.count() == 1
    assert saved == [Enquiry.objects.get().pk] * 2
