"""Screening selectors: run totals, filters of the decision list, one person's explanation."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

import pytest

from payung.domain import wilayah
from payung.domain.policy import policy_get
from payung.screening import selectors
from payung.screening.models import Decision, ScreeningRun
from payung.screening.selectors import DecisionFilters
from payung.screening.tests import factories

POLICY = policy_get("pandeglang-2025")

pytestmark = pytest.mark.django_db


def test_summary_totals_match_the_stored_decisions(run: ScreeningRun) -> None:
    summary = selectors.run_summary(run=run)
    stored = Counter(Decision.objects.filter(run=run).values_list("status", flat=True))
    assert summary.rows == 500
    by_status = {t.code: t.count for t in summary.by_status}
    # With a pagu, eligible is split into selected and waitlisted (Pasal 6 ayat (2)).
    assert set(by_status) == {"selected", "waitlisted", "ineligible", "invalid"}
    assert by_status == {s: stored.get(s, 0) for s in by_status}
    assert sum(by_status.values()) == 500


def test_summary_by_article_cites_the_policy(run: ScreeningRun) -> None:
    summary = selectors.run_summary(run=run)
    rules = {t.code: t for t in summary.by_rule}
    # Every criterion in the regulation's order a-f, the deemed 5(2)c included.
    assert list(rules) == [r.id for r in POLICY.rules]
    age = rules["5(2)b"]
    assert age.article == "Pasal 5 ayat (2) huruf b"
    assert age.label == POLICY.rule("5(2)b").sentence
    failing_age = selectors.decision_list(run=run, filters=DecisionFilters(article="5(2)b"))
    assert age.count == failing_age.count() > 0


def test_summary_words_data_problems_and_flags(run: ScreeningRun) -> None:
    summary = selectors.run_summary(run=run)
    assert summary.by_invalid_code, "the synthetic import holds invalid rows"
    for total in summary.by_invalid_code + summary.by_flag:
        assert total.label != total.code  # worded, not the bare code
        assert total.count > 0


def test_summary_by_kecamatan_names_and_totals(run: ScreeningRun) -> None:
    summary = selectors.run_summary(run=run)
    assert sum(k.total for k in summary.by_kecamatan) == 500
    named = [k for k in summary.by_kecamatan if k.code.startswith("3601")]
    assert named
    for k in named:
        assert k.name == wilayah.lookup(k.code).name
        assert sum(k.by_status.values()) == k.total


def _all(run: ScreeningRun) -> list[Decision]:
    return list(Decision.objects.filter(run=run).select_related("person"))


def test_each_filter_narrows_to_exactly_the_matching_rows(run: ScreeningRun) -> None:
    everyone = _all(run)
    some = next(d for d in everyone if d.status == "waitlisted" and d.priorities)
    failing = next(d for d in everyone if d.status == "ineligible")
    cases = [
        (DecisionFilters(status="ineligible"), lambda d: d.status == "ineligible"),
        (DecisionFilters(article="5(2)d"), lambda d: "5(2)d" in d.reasons.split(";")),
        (DecisionFilters(article="5(1)"), lambda d: "5(1)" in d.reasons.split(";")),
        (
            DecisionFilters(kecamatan=some.kode_kecamatan),
            lambda d: d.kode_kecamatan == some.kode_kecamatan,
        ),
        (DecisionFilters(desa=failing.kode_desa), lambda d: d.kode_desa == failing.kode_desa),
        (DecisionFilters(occupation="petani"), lambda d: d.occupation_category == "petani"),
        (DecisionFilters(desil=2), lambda d: d.desil == 2),
        (DecisionFilters(priority="7(2)c"), lambda d: "7(2)c" in d.priorities.split(";")),
        (DecisionFilters(search=some.nik[:10]), lambda d: d.nik.startswith(some.nik[:10])),
        (
            DecisionFilters(search=some.person.nama.split()[0].lower()),
            lambda d: some.person.nama.split()[0].lower() in d.person.nama.lower(),
        ),
    ]
    for filters, matches in cases:
        got = {d.row for d in selectors.decision_list(run=run, filters=filters)}
        want = {d.row for d in everyone if matches(d)}
        assert got == want, filters
        assert 0 < len(got) < len(everyone), filters
    combined = DecisionFilters(status="ineligible", article="5(2)b", desil=2)
    got = {d.row for d in selectors.decision_list(run=run, filters=combined)}
    assert got == {
        d.row
        for d in everyone
        if d.status == "ineligible" and "5(2)b" in d.reasons.split(";") and d.desil == 2
    }


def test_list_is_in_priority_order_then_file_order(run: ScreeningRun) -> None:
    rows = list(
        selectors.decision_list(run=run, filters=DecisionFilters()).values_list(
            "priority_rank", "row"
        )
    )
    ranked = [r for r in rows if r[0] is not None]
    assert [r[0] for r in ranked] == list(range(1, len(ranked) + 1))
    assert rows[: len(ranked)] == ranked  # ranked first, unranked after
    unranked = [r[1] for r in rows[len(ranked) :]]
    assert unranked == sorted(unranked)


def _walk(run: ScreeningRun, filters: DecisionFilters) -> list[list[Decision]]:
    """Every keyset page of the list, first to last, following the "Berikutnya" cursors."""
    pages = [selectors.decision_page(run=run, filters=filters)]
    while pages[-1].has_next:
        pages.append(selectors.decision_page(run=run, filters=filters, after=pages[-1].next_cursor))
        assert len(pages) < 100
    return [p.object_list for p in pages]


def test_pages_hold_fifty(run: ScreeningRun) -> None:
    first = selectors.decision_page(run=run, filters=DecisionFilters())
    page = selectors.decision_page(run=run, filters=DecisionFilters(), after=first.next_cursor)
    assert len(page.object_list) == 50
    assert page.object_list[0].nama  # the name comes with the row
    assert first.is_first and not page.is_first and not page.is_last


@pytest.mark.parametrize(
    "filters",
    [
        DecisionFilters(),
        DecisionFilters(status="ineligible"),
        DecisionFilters(status="selected"),
        DecisionFilters(kecamatan="first"),
        DecisionFilters(search="36"),
        DecisionFilters(search="name"),
        DecisionFilters(search="a"),
    ],
)
def test_keyset_pages_walk_the_whole_list_in_order_without_gaps_or_repeats(
    run: ScreeningRun, filters: DecisionFilters
) -> None:
    """Following "Berikutnya" from the first page to the last gives exactly the list, in its
    order (ranked by rank, then the rest by row), each row once, with the filters kept; a
    name search too (on SQLite read through the name index and sorted, issue 16)."""
    if filters.kecamatan == "first":
        decisions = Decision.objects.filter(run=run).exclude(kode_kecamatan="")
        filters = replace(filters, kecamatan=decisions.order_by("row")[0].kode_kecamatan)
    if filters.search == "name":
        filters = replace(filters, search=_common_name_part(run))
    expected = list(selectors.decision_list(run=run, filters=filters).values_list("pk", flat=True))
    assert expected  # the fixture's run has rows of each kind
    pages = _walk(run, filters)
    walked = [d.pk for page in pages for d in page]
    assert walked == expected
    assert all(len(page) == 50 for page in pages[:-1])


def _common_name_part(run: ScreeningRun) -> str:
    """Three letters, lower case, of names that fill more than one page of the run."""
    counts = Counter(
        name.lower()[i : i + 3]
        for name in Decision.objects.filter(run=run).values_list("person__nama", flat=True)
        for i in range(len(name) - 2)
        if name[i : i + 3].isalpha()
    )
    part = next(p for p, n in counts.most_common() if 50 < n < 200)
    return part


def test_a_name_search_walked_back_from_its_last_page_is_the_list(run: ScreeningRun) -> None:
    """ "Terakhir" then "Sebelumnya" over a name search's pages (read through the name index
    and sorted on SQLite) gives the list, in order, each row once."""
    filters = DecisionFilters(search=_common_name_part(run))
    expected = list(selectors.decision_list(run=run, filters=filters).values_list("pk", flat=True))
    page = selectors.decision_page(run=run, filters=filters, before="akhir")
    assert [d.pk for d in page.object_list] == expected[-50:]
    walked = [d.pk for d in page.object_list]
    while page.has_previous:
        page = selectors.decision_page(run=run, filters=filters, before=page.previous_cursor)
        walked = [d.pk for d in page.object_list] + walked
    assert walked == expected and len(expected) > 50


@pytest.mark.parametrize("named_many", [1, 10**9], ids=["walked", "sorted"])
def test_a_name_search_pages_the_same_whether_walked_or_sorted(
    run: ScreeningRun, named_many: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a name held by many is read by walking the list's order index, one held
    by few through the (run, row) key and sorted (``NAMED_MANY``, issue 16); on PostgreSQL
    a name's rows go as one array and the page's keys come from the order index alone:
    either way, forwards from the first page or backwards from the last, with a status or
    a kecamatan beside it, the pages are exactly the list in its order."""
    monkeypatch.setattr(selectors, "NAMED_MANY", named_many)
    part = _common_name_part(run)
    kecamatan = (
        Decision.objects.filter(run=run)
        .exclude(kode_kecamatan="")
        .values_list("kode_kecamatan", flat=True)[0]
    )
    for filters in (
        DecisionFilters(search=part),
        DecisionFilters(search=part.upper(), status="ineligible"),
        DecisionFilters(search=part, status="selected"),
        DecisionFilters(search=part, kecamatan=kecamatan),
    ):
        expected = list(
            selectors.decision_list(run=run, filters=filters).values_list("pk", flat=True)
        )
        assert expected, filters
        assert [d.pk for page in _walk(run, filters) for d in page] == expected, filters
        page = selectors.decision_page(run=run, filters=filters, before="akhir")
        walked = [d.pk for d in page.object_list]
        while page.has_previous:
            page = selectors.decision_page(run=run, filters=filters, before=page.previous_cursor)
            walked = [d.pk for d in page.object_list] + walked
        assert walked == expected, filters


def test_a_common_name_is_paged_through_the_order_index(
    run: ScreeningRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a name held by ``NAMED_MANY`` or more reads the page from the list's order
    index and stops after it (no sort of all the name's rows); a rarer one is fetched by row
    and sorted. PostgreSQL plans both itself."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    part = _common_name_part(run)

    def plans(named_many: int) -> list[str]:
        monkeypatch.setattr(selectors, "NAMED_MANY", named_many)
        with CaptureQueriesContext(connection) as ctx:
            selectors.decision_page(run=run, filters=DecisionFilters(search=part))
        page_sql = [q["sql"] for q in ctx.captured_queries if "ORDER BY" in q["sql"]]
        assert page_sql
        out = []
        with connection.cursor() as cursor:
            for sql in page_sql:
                cursor.execute("EXPLAIN QUERY PLAN " + sql)
                out.append(" ".join(str(r[-1]) for r in cursor.fetchall()))
        return out

    if connection.vendor != "sqlite":
        pytest.skip("the choice is SQLite's (its planner keeps no statistics)")
    walked = plans(1)
    assert all("decision_order" in p and "TEMP B-TREE" not in p for p in walked), walked
    sorted_ = plans(10**9)
    assert any("TEMP B-TREE FOR ORDER BY" in p for p in sorted_), sorted_


def test_a_kept_name_is_asked_of_the_name_index_once_and_paged_by_its_keys(
    run: ScreeningRun,
) -> None:
    """On PostgreSQL a name's rows are read from the name index once (then kept) and sent as
    one array; the page's order is read without the persons' table, whose rows are read for
    the page's own decisions only (issue 16: a common first name's first view)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the array is PostgreSQL's (= ANY); SQLite lists the rows")
    cache.clear()
    filters = DecisionFilters(search=_common_name_part(run))
    expected = list(selectors.decision_list(run=run, filters=filters).values_list("pk", flat=True))
    cache.clear()

    def view() -> tuple[list[int], list[str]]:
        with CaptureQueriesContext(connection) as ctx:
            selectors.decision_count(run=run, filters=filters)
            page = selectors.decision_page(run=run, filters=filters)
        return [d.pk for d in page.object_list], [q["sql"] for q in ctx.captured_queries]

    first, sql = view()
    assert first == expected[:50]
    assert sum("LIKE" in q for q in sql) == 1, sql
    ordered = [q for q in sql if "ORDER BY" in q]
    assert ordered and all("= ANY(" in q and "registry_person" not in q for q in ordered), sql
    again, sql = view()
    assert again == first and not any("LIKE" in q for q in sql), sql


def test_keyset_previous_pages_mirror_next_pages_and_the_last_page_is_the_lists_end(
    run: ScreeningRun,
) -> None:
    filters = DecisionFilters()
    forward = _walk(run, filters)
    last = selectors.decision_page(run=run, filters=filters, before="akhir")
    assert [d.pk for d in last.object_list] == [d.pk for d in forward[-1]]
    assert last.is_last and not last.has_next and last.has_previous
    # Walking back with "Sebelumnya" from the last page meets every page again.
    backward = [last.object_list]
    page = last
    while page.has_previous:
        page = selectors.decision_page(run=run, filters=filters, before=page.previous_cursor)
        backward.append(page.object_list)
    assert [[d.pk for d in p] for p in reversed(backward)] == [[d.pk for d in p] for p in forward]
    assert page.is_first
    # The page before the third page's first row is the second page.
    second = selectors.decision_page(run=run, filters=filters, before=_c(forward[2][0]))
    assert [d.pk for d in second.object_list] == [d.pk for d in forward[1]]


def _c(decision: Decision) -> str:
    rank = "x" if decision.priority_rank is None else decision.priority_rank
    return f"{rank}.{decision.row}"


@pytest.mark.parametrize("cursor", ["", "bogus", "1.", ".5", "x.y", "-1.3"])
def test_a_cursor_that_cannot_be_read_gives_the_first_page(run: ScreeningRun, cursor: str) -> None:
    first = selectors.decision_page(run=run, filters=DecisionFilters())
    page = selectors.decision_page(run=run, filters=DecisionFilters(), after=cursor)
    assert [d.pk for d in page.object_list] == [d.pk for d in first.object_list]
    assert page.is_first


def test_counts_come_from_the_run_without_counting_rows(
    run: ScreeningRun, django_assert_num_queries: Any
) -> None:
    """The list's "N orang" for no filter, a status, a kecamatan or both is read from the
    run's kept totals (issue 16): no query, and the same numbers as counting the rows."""
    decisions = Decision.objects.filter(run=run)
    kecamatan = decisions.exclude(kode_kecamatan="").values_list("kode_kecamatan", flat=True)[0]
    cases = [
        (DecisionFilters(), decisions),
        (DecisionFilters(status="ineligible"), decisions.filter(status="ineligible")),
        (DecisionFilters(kecamatan=kecamatan), decisions.filter(kode_kecamatan=kecamatan)),
        (
            DecisionFilters(kecamatan=kecamatan, status="selected"),
            decisions.filter(kode_kecamatan=kecamatan, status="selected"),
        ),
    ]
    for filters, expected in cases:
        n = expected.count()
        with django_assert_num_queries(0):
            assert selectors.decision_count(run=run, filters=filters) == (n, False)
    # Any other filter is counted in the database.
    with django_assert_num_queries(1):
        count, capped = selectors.decision_count(run=run, filters=DecisionFilters(desil=1))
    assert (count, capped) == (decisions.filter(desil=1).count(), False)


def test_a_name_search_count_stops_at_its_cap(
    run: ScreeningRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = Decision.objects.filter(run=run).select_related("person")[0].person.nama.split()[0]
    found = selectors.decision_list(run=run, filters=DecisionFilters(search=name)).count()
    assert found > 2
    assert selectors.decision_count(run=run, filters=DecisionFilters(search=name)) == (
        found,
        False,
    )
    monkeypatch.setattr(selectors, "COUNT_CAP", found - 1)
    assert selectors.decision_count(run=run, filters=DecisionFilters(search=name)) == (
        found - 1,
        True,
    )


def test_a_name_search_with_other_filters_counts_what_the_list_shows(
    run: ScreeningRun, django_assert_max_num_queries: Any
) -> None:
    """The count is one query at most (issue 16; on SQLite it starts from the name's persons
    and looks for each one's decision; on PostgreSQL a name nobody holds, its rows already
    read by the list, needs none): the same number as the list, with a status, a kecamatan
    or a 1-letter term."""
    part = _common_name_part(run)
    kecamatan = (
        Decision.objects.filter(run=run)
        .exclude(kode_kecamatan="")
        .values_list("kode_kecamatan", flat=True)[0]
    )
    cases = [
        DecisionFilters(search=part),
        DecisionFilters(search=part.upper(), status="ineligible"),
        DecisionFilters(search=part, kecamatan=kecamatan),
        DecisionFilters(search=part[0]),
        DecisionFilters(search="tidak ada nama seperti ini"),
    ]
    for filters in cases:
        n = selectors.decision_list(run=run, filters=filters).count()
        with django_assert_max_num_queries(1):
            counted = selectors.decision_count(run=run, filters=filters)
        assert counted == (min(n, selectors.COUNT_CAP), n > selectors.COUNT_CAP), filters


@pytest.mark.parametrize("term", ["3601011505800001", "3601", "Siti Aminah"])
def test_audit_detail_records_that_there_was_a_search_not_its_term(term: str) -> None:
    detail = DecisionFilters(status="selected", search=term).as_audit_detail()
    assert detail == {"status": "selected", "search": "ya"}


def _refused(**overrides: object) -> Decision:
    person = factories.PersonFactory(
        pekerjaan="PELAJAR/MAHASISWA",
        tanggal_lahir="2010-03-04",
        desil="7",
        kode_desa="3601012001",
        bantuan_iuran="",
    )
    run = factories.ScreeningRunFactory(dtsen_import=person.dtsen_import)
    fields = {
        "run": run,
        "person": person,
        "status": "ineligible",
        "reasons": "5(1);5(2)b;5(2)d;5(2)e",
        "priority_rank": None,
        "priorities": "",
        "age": 15,
        "desil": 7,
        "occupation_category": "",
        **overrides,
    }
    return factories.DecisionFactory(**fields)


def test_explain_a_refused_person_lists_every_failed_article_with_its_value() -> None:
    decision = _refused()
    x = selectors.decision_explain(decision=decision)
    rows = {c.id: c for c in x.criteria}
    # The regulation's order a-f; the deemed 5(2)c in its place, saying what shows it.
    assert [c.id for c in x.criteria] == [
        "5(1)",
        "5(2)a",
        "5(2)b",
        "5(2)c",
        "5(2)d",
        "5(2)e",
        "5(2)f",
    ]
    failed = {c.id for c in x.criteria if c.passed is False}
    assert failed == {"5(1)", "5(2)b", "5(2)c", "5(2)d", "5(2)e"}
    assert rows["5(2)b"].article == "Pasal 5 ayat (2) huruf b"
    assert rows["5(2)b"].sentence == POLICY.rule("5(2)b").sentence
    assert rows["5(2)b"].value.startswith("usia 15 tahun pada 1 Januari 2026")
    assert rows["5(2)d"].value == "desil 7"
    assert rows["5(1)"].value.startswith("PELAJAR/MAHASISWA → ")
    assert rows["5(2)e"].value == "pekerjaan: PELAJAR/MAHASISWA"
    assert rows["5(2)a"].passed is True
    assert rows["5(2)a"].value == "kode desa 3601012001 (Desa Sumberjaya, Kec. Sumur)"
    assert rows["5(2)f"].passed is True
    assert rows["5(2)f"].value == "bantuan iuran: (kosong)"
    # Pasal 5 ayat (2) huruf c has no data of its own: it follows huruf d.
    assert rows["5(2)c"].deemed_by == "5(2)d"
    assert rows["5(2)c"].deemed_note == "(dianggap terpenuhi oleh 5(2)d)"
    assert "Pasal 5 ayat (2) huruf d" in rows["5(2)c"].value
    assert x.status_label == "Tidak memenuhi syarat"
    assert x.rank is None
    assert not x.priorities_judged


def test_explain_a_selected_person_shows_priorities_and_rank() -> None:
    decision = factories.DecisionFactory(priority_rank=3, priorities="7(2)c")
    x = selectors.decision_explain(decision=decision)
    assert all(c.passed for c in x.criteria)
    occupation = next(c for c in x.criteria if c.id == "5(1)")
    assert occupation.value == "PETANI/PEKEBUN → petani"
    assert x.rank == 3 and x.quota == 30
    met = {p.id: p for p in x.priorities}
    assert met["7(2)c"].met and not met["7(2)a"].met
    assert met["7(2)c"].sentence == POLICY.rule("7(2)c").sentence
    assert "KAWIN" in met["7(2)c"].value


def test_explain_an_invalid_row_judges_no_criterion_and_words_the_problems() -> None:
    decision = _refused(status="invalid", reasons="nik.length;tanggal_lahir.missing", age=None)
    x = selectors.decision_explain(decision=decision)
    assert {c.passed for c in x.criteria} == {None}
    assert [p.code for p in x.problems] == ["nik.length", "tanggal_lahir.missing"]
    assert x.problems[0].label == "NIK harus 16 digit."


@pytest.mark.parametrize(
    ("flags", "count"),
    [("", 0), ("nik.sex_mismatch", 1), ("nik.sex_mismatch;kode_desa.unknown", 2)],
)
def test_explain_words_flags(flags: str, count: int) -> None:
    x = selectors.decision_explain(decision=factories.DecisionFactory(flags=flags))
    assert len(x.flags) == count
    assert all(f.label != f.code for f in x.flags)


def test_explain_matches_engine_reasons_for_every_refused_person(run: ScreeningRun) -> None:
    """Pass/fail on the person page is the engine's, for every person of a real run."""
    decisions = Decision.objects.filter(run=run, status="ineligible").select_related(
        "run", "person"
    )
    for d in decisions[:60]:
        x = selectors.decision_explain(decision=d)
        failed = {c.id for c in x.criteria if c.passed is False and not c.deemed_by}
        assert failed == set(d.reasons.split(";")), d.row


def test_filters_ignore_empty_values(run: ScreeningRun) -> None:
    everyone = selectors.decision_list(run=run, filters=DecisionFilters()).count()
    blank = replace(DecisionFilters(), search="  ")
    assert selectors.decision_list(run=run, filters=blank).count() == everyone


def test_run_list_is_the_years_runs_newest_first() -> None:
    year = factories.ProgrammeYearFactory()
    older = factories.ScreeningRunFactory(programme_year=year)
    newer = factories.ScreeningRunFactory(programme_year=year)
    factories.ScreeningRunFactory()  # another year's
    assert list(selectors.run_list(programme_year=year)) == [newer, older]


def test_deemed_5_2_c_is_counted_and_listed_as_5_2_d_everywhere(run: ScreeningRun) -> None:
    """Pasal 5 ayat (2) huruf c: the summary's count is the list's count and d's count."""
    summary = selectors.run_summary(run=run)
    rules = {t.code: t for t in summary.by_rule}
    deemed, source = rules["5(2)c"], rules["5(2)d"]
    assert deemed.count == source.count > 0
    assert deemed.note == "(dianggap terpenuhi oleh 5(2)d)" and not source.note
    listed = selectors.decision_list(run=run, filters=DecisionFilters(article="5(2)c"))
    assert listed.count() == deemed.count
    policy = selectors.run_policy(run)
    for decision in listed[:20]:
        shown = selectors.reasons_shown(policy, decision.reasons)
        assert shown.index("5(2)c") == shown.index("5(2)d") - 1
        assert shown == sorted(shown, key=[r.id for r in POLICY.rules].index)


def test_a_deep_page_starts_its_index_range_at_the_cursors_rank(run: ScreeningRun) -> None:
    """Issue 16: after a cursor the ranked part is bounded by ``rank >= r`` (``<=`` going
    back), which PostgreSQL reads as the index range's start; the OR that orders ties by
    row alone made it read every row before the cursor (206 ms 25 000 rows in)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ranked = Decision.objects.filter(run=run, priority_rank__isnull=False)
    mid = ranked.order_by("priority_rank", "row")[ranked.count() // 2]
    cursor = f"{mid.priority_rank}.{mid.row}"
    for direction, bound in (("after", ">="), ("before", "<=")):
        with CaptureQueriesContext(connection) as queries:
            page = selectors.decision_page(
                run=run, filters=DecisionFilters(), **{direction: cursor}
            )
        assert page.object_list
        ranked_sql = [q["sql"] for q in queries.captured_queries if "IS NOT NULL" in q["sql"]]
        assert ranked_sql and all(
            f'"priority_rank" {bound} {mid.priority_rank}' in sql for sql in ranked_sql
        ), ranked_sql
