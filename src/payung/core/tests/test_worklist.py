"""The "Tugas Anda" line every stage returns (issue 9)."""

from __future__ import annotations

import pytest

from payung.core.worklist import Task, task_sort


def test_tasks_sort_the_urgent_first_and_keep_the_stage_order_otherwise() -> None:
    first = Task(text="Unggah ekstrak", url="/a/")
    late = Task(text="Tagihan lewat jatuh tempo", url="/b/", level="error")
    second = Task(text="Jawab tahap", url="/c/", count=1250, level="warning")
    third = Task(text="Serahkan kartu", url="/d/")
    assert task_sort([first, late, second, third]) == [late, second, first, third]


def test_a_count_is_printed_as_every_page_prints_numbers() -> None:
    assert Task(text="x", url="/", count=48210).count_text == "48.210"
    assert Task(text="x", url="/").count_text == ""


def test_an_unknown_level_is_refused() -> None:
    with pytest.raises(ValueError, match="level"):
        Task(text="x", url="/", level="urgent")


def test_a_memoised_figure_is_recounted_only_when_its_version_changes() -> None:
    from payung.core.worklist import worklist_memo

    calls: list[int] = []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert worklist_memo(key="uji-memo", version=("2026-12-02", 7), compute=compute) == 1
    assert worklist_memo(key="uji-memo", version=("2026-12-02", 7), compute=compute) == 1
    assert worklist_memo(key="uji-memo", version=("2026-12-02", 8), compute=compute) == 2
    assert len(calls) == 2
