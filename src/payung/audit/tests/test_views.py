"""The audit page: the auditor reads it with the chain's state on top; nobody else may."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertTemplateUsed

from payung.audit.models import AuditEntry
from payung.audit.services import audit_entry_create
from payung.audit.tests import tampering
from payung.conftest import PERSONAS

pytestmark = pytest.mark.django_db
URL = "audit:entry_list"


@pytest.fixture
def auditor_client(client: Client, auditor_inspektorat) -> Client:
    client.force_login(auditor_inspektorat)  # writes a user_login entry
    return client


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert response.url == redirect_to_login(reverse(URL)).url


@pytest.mark.parametrize("persona", sorted(set(PERSONAS) - {"auditor_inspektorat"}))
def test_every_other_role_is_refused(
    client: Client, request: pytest.FixtureRequest, persona: str
) -> None:
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(URL)).status_code == 403


def test_auditor_sees_entries_newest_first_in_jakarta_time(
    auditor_client: Client, operator_dinsos
) -> None:
    older = audit_entry_create(actor=operator_dinsos, action="dtsen_import", detail={"rows": 12})
    newer = audit_entry_create(actor=None, action="user_login_failed", detail={"username": "x"})

    response = auditor_client.get(reverse(URL))

    assert response.status_code == 200
    assertTemplateUsed(response, "audit/entry_list.html")
    assertContains(response, "Rantai utuh: 3 entri diperiksa.")
    rows = list(response.context["page"].object_list)
    assert rows[:2] == [newer, older]
    wib = older.created_at.astimezone(ZoneInfo("Asia/Jakarta")).strftime("%d-%m-%Y %H:%M:%S")
    assertContains(response, wib)
    assertContains(response, "<code>dtsen_import</code>", html=True)
    assertContains(response, "operator_dinsos")
    assertContains(response, "{&quot;rows&quot;: 12}")


def test_a_broken_chain_is_announced_on_top(auditor_client: Client) -> None:
    entries = [audit_entry_create(actor=None, action="step", detail={"i": i}) for i in range(3)]
    tampering.entry_update(entries[1].pk, action="forged")

    response = auditor_client.get(reverse(URL))

    assertContains(response, f"Rantai rusak mulai entri #{entries[1].pk}:")
    assertContains(response, 'role="alert"')
    assertNotContains(response, "Rantai utuh")


def test_the_auditor_gets_todays_digest_to_print(auditor_client: Client) -> None:
    """Count and short MAC of the head, in Indonesian, and the command that checks it later."""
    for i in range(1233):
        audit_entry_create(actor=None, action="step", detail={"i": i})
    head = AuditEntry.objects.order_by("-id").first()
    today = timezone.localdate()

    response = auditor_client.get(reverse(URL))

    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus"]
    months += ["September", "Oktober", "November", "Desember"]
    assertContains(response, f"Per {today.day} {months[today.month - 1]} {today.year} pukul ")
    short = " ".join(head.hash[i : i + 4] for i in range(0, 16, 4))
    assertContains(response, f"WIB: 1.234 entri, entri terakhir #{head.pk}, sidik {short}.")
    assertContains(response, f"payung audit verify --digest 1234:{head.hash[:16]}")
    assertContains(response, "Rantai utuh: 1.234 entri diperiksa.")


def test_no_digest_is_offered_for_a_broken_chain(auditor_client: Client) -> None:
    """A digest printed from a tampered trail would vouch for the tampering."""
    entries = [audit_entry_create(actor=None, action="step") for _ in range(2)]
    tampering.entry_action_set_sql(entries[0].pk, "forged")

    response = auditor_client.get(reverse(URL))

    assertNotContains(response, "Ringkasan harian")
    assertNotContains(response, "--digest")


def test_filter_by_action(auditor_client: Client) -> None:
    for action in ("a", "b", "a"):
        audit_entry_create(actor=None, action=action)

    response = auditor_client.get(reverse(URL), {"action": "a"})

    assert {e.action for e in response.context["page"].object_list} == {"a"}
    assert response.context["page"].paginator.count == 2
    assertContains(response, '<option value="a" selected>a</option>', html=True)


def test_pages_of_fifty(auditor_client: Client) -> None:
    for i in range(59):
        audit_entry_create(actor=None, action="step", detail={"i": i})
    newest = AuditEntry.objects.order_by("-id").first()

    first = auditor_client.get(reverse(URL))
    second = auditor_client.get(reverse(URL), {"page": 2})

    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].object_list[0] == newest
    assert len(second.context["page"].object_list) == 10  # 59 + the auditor's login
    assertContains(first, "Halaman 1 dari 2")
    assertContains(first, 'href="?page=2"')


def test_queries_do_not_grow_with_the_entries_shown(
    auditor_client: Client, operator_dinsos
) -> None:
    """One query per entry (its actor, say) would make a page of 50 cost 50 more queries."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert auditor_client.get(reverse(URL)).status_code == 200
        return len(ctx.captured_queries)

    audit_entry_create(actor=operator_dinsos, action="step")
    few = queries()
    for i in range(40):
        audit_entry_create(actor=operator_dinsos, action=f"step_{i % 7}", detail={"i": i})

    assert queries() == few
