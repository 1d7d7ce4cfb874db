"""Anchors and printed digests catch what the chain alone cannot: the deletion of the last
entries, and a rewrite by someone who holds the key. Tampering is done with SQL."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from payung.audit.anchors import Anchor, anchor_parse
from payung.audit.keys import audit_key_get
from payung.audit.models import AuditEntry
from payung.audit.selectors import (
    Head,
    audit_anchor_check,
    audit_chain_verify,
    audit_digest_check,
    audit_head_get,
    digest_parse,
)
from payung.audit.services import audit_anchor_create, audit_entry_create
from payung.audit.tests import tampering

pytestmark = pytest.mark.django_db


@pytest.fixture
def anchored() -> tuple[list[AuditEntry], Anchor]:
    """Four entries, an anchor (the fifth), then three more entries after it."""
    before = [audit_entry_create(actor=None, action="step", detail={"i": i}) for i in range(4)]
    anchor = audit_anchor_create()
    after = [audit_entry_create(actor=None, action="later", detail={"i": i}) for i in range(3)]
    return [*before, AuditEntry.objects.get(pk=anchor.last_id), *after], anchor


def test_a_clean_chain_matches_its_anchor(anchored: tuple[list[AuditEntry], Anchor]) -> None:
    _, anchor = anchored

    report = audit_anchor_check(anchor=anchor, name="jangkar.json")

    assert report.ok
    assert report.message.startswith("Jangkar jangkar.json (")
    assert "cocok: 5 entri sampai entri #5 tidak berubah." in report.message
    assert audit_chain_verify().ok


def test_deleting_the_last_entries_is_found_by_the_anchor(
    anchored: tuple[list[AuditEntry], Anchor],
) -> None:
    """The probe's finding: deleting the last entries left a chain reported 'Rantai utuh'.
    It still is (nothing after the cut points at what was removed); the anchor is not."""
    entries, anchor = anchored
    tampering.entries_delete_from(entries[3].pk)  # the anchor entry and everything after it

    assert audit_chain_verify().ok
    report = audit_anchor_check(anchor=anchor, name="jangkar.json")

    assert not report.ok
    assert "rantai kini hanya berisi 3 entri, padahal sudah 5 entri" in report.message
    assert "entri telah dihapus" in report.message


def test_truncating_then_appending_again_is_found_by_the_anchor(
    anchored: tuple[list[AuditEntry], Anchor],
) -> None:
    """Cutting the trail and letting the application append again refills the positions, but
    not with the anchored entry."""
    entries, anchor = anchored
    tampering.entries_delete_from(entries[2].pk)
    for i in range(6):
        audit_entry_create(actor=None, action="refill", detail={"i": i})

    assert audit_chain_verify().ok
    report = audit_anchor_check(anchor=anchor, name="a")

    assert not report.ok
    assert "entri ke-5 (kini #5) berbeda dari yang dijangkarkan" in report.message


def test_a_rewrite_by_someone_holding_the_key_is_found_by_the_anchor(
    anchored: tuple[list[AuditEntry], Anchor],
) -> None:
    """An insider with the key can make the chain verify again; the anchor kept by the
    Inspektorat still names the old head."""
    entries, anchor = anchored
    tampering.chain_rewrite_sql(
        entries[1].pk, detail={"i": 99}, mac=tampering.hmac_with(audit_key_get())
    )

    assert audit_chain_verify().ok
    report = audit_anchor_check(anchor=anchor, name="a")

    assert not report.ok
    assert "ditulis ulang" in report.message


def test_an_edited_anchor_file_is_refused(anchored: tuple[list[AuditEntry], Anchor]) -> None:
    """Whoever truncates the trail cannot lower the anchor's count to match."""
    entries, anchor = anchored
    tampering.entries_delete_from(entries[4].pk)
    forged = dataclasses.replace(anchor, count=4, last_id=4, last_mac=entries[3].hash)

    report = audit_anchor_check(anchor=forged, name="a")

    assert not report.ok
    assert "tanda tangannya tidak cocok" in report.message


def test_an_anchor_made_with_another_key_says_so(
    anchored: tuple[list[AuditEntry], Anchor], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, anchor = anchored
    monkeypatch.setenv("PAYUNG_AUDIT_KEY", "k" * 40)

    report = audit_anchor_check(anchor=anchor, name="a")

    assert not report.ok
    assert "dibuat dengan kunci audit lain" in report.message


def test_the_anchor_entry_and_file_round_trip(anchored: tuple[list[AuditEntry], Anchor]) -> None:
    entries, anchor = anchored

    assert (anchor.count, anchor.last_id, anchor.last_mac) == (5, 5, entries[4].hash)
    assert entries[4].action == "audit_anchor"
    assert entries[4].detail == {"entries": 5}
    assert anchor_parse(text=anchor.text()) == anchor
    assert anchor.summary.startswith("5 entri sampai entri #5, sidik ")


def test_anchoring_a_broken_chain_is_refused() -> None:
    from payung.audit.services import ChainBrokenError

    entries = [audit_entry_create(actor=None, action="step") for _ in range(3)]
    tampering.entry_action_set_sql(entries[1].pk, "forged")

    with pytest.raises(ChainBrokenError) as refused:
        audit_anchor_create()

    assert refused.value.message.startswith(f"Rantai rusak mulai entri #{entries[1].pk}:")
    assert not AuditEntry.objects.filter(action="audit_anchor").exists()


def test_a_printed_digest_is_checked_like_an_anchor() -> None:
    entries = [audit_entry_create(actor=None, action="step", detail={"i": i}) for i in range(4)]
    head = audit_head_get()
    count, short = digest_parse(text=head.digest) or (0, "")

    assert audit_digest_check(count=count, short=short).ok
    tampering.entries_delete_from(entries[2].pk)
    report = audit_digest_check(count=count, short=short)
    assert not report.ok
    assert "entri telah dihapus" in report.message


def test_digest_parse_takes_the_digest_as_printed() -> None:
    assert digest_parse(text="1.234:AB12 cd34 ef56 7890") == (1234, "ab12cd34ef567890")
    assert digest_parse(text="0:ab12cd34ef567890") is None
    assert digest_parse(text="12:ab12") is None


def test_the_head_sentence_is_in_indonesian() -> None:
    head = Head(
        count=1234,
        last_id=1234,
        last_mac="ab12cd34ef567890" + "0" * 48,
        at=datetime(2026, 12, 1, 2, 5, tzinfo=UTC),
    )

    assert head.sentence == (
        "Per 1 Desember 2026 pukul 09.05 WIB: 1.234 entri, entri terakhir #1234, "
        "sidik ab12 cd34 ef56 7890."
    )
    assert head.digest == "1234:ab12cd34ef567890"
