"""The export-kind registry (issue 9): a kind's download must be an audit action the trail
has words for, and a writer's rows move the progress bar."""

from __future__ import annotations

import pytest

from payung.core.export_kinds import (
    ExportKind,
    export_kind_get,
    export_kind_register,
    export_progress_iter,
)


def test_the_apps_register_their_kinds() -> None:
    assert export_kind_get("audit_entries").permissions == ("audit.view_auditentry",)
    assert "screening.export_personal_data" in export_kind_get("decisions_full_nik").permissions
    assert "screening.export_personal_data" not in export_kind_get("decisions").permissions


def test_a_kind_with_an_unknown_audit_action_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown"):
        export_kind_register(
            ExportKind(
                id="ghost",
                label="x",
                permissions=(),
                writer="x.y",
                audit_action="ghost_download",
            )
        )
    with pytest.raises(KeyError):
        export_kind_get("ghost")


def test_progress_is_reported_every_so_many_rows_and_at_the_end() -> None:
    seen: list[int] = []

    rows = list(export_progress_iter(range(2500), seen.append, every=1000))

    assert rows == list(range(2500))
    assert seen == [1000, 2000, 2500]
