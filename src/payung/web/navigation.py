"""The header's menu: the stages of the year the user works on, each only for those who may
open its page (issue 9: no menu link leads to "Akses ditolak").

Every link names the permission its landing page's view requires; ``web/tests/
test_navigation.py`` checks each against ``accounts.access`` (URL × roles) and follows every
link as every role. The year comes from the session (``NAV_KEY``), set by the workspace when
the user opens it, so the menu costs no query on the other pages: ``perms`` is loaded by the
header already.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

#: Session key of the year the menu links to: {"pk", "year", "run", "carried"}.
NAV_KEY: Final = "payung_nav"


@dataclass(frozen=True)
class MenuEntry:
    """One menu link: ``arg`` says what fills the URL ("year", "run" or nothing)."""

    code: str
    label: str
    url_name: str
    perms: tuple[str, ...]  # all required
    arg: str = "year"
    #: Shown only to those without this permission (an uploader's page for non-readers).
    unless: str = ""
    only_carried: bool = False


def menu_entries() -> list[MenuEntry]:
    """The stages in workflow order (labels translated per request)."""
    return [
        MenuEntry(
            "pendataan", _("Pendataan"), "registry:year_detail", ("registry.view_dtsenimport",)
        ),
        MenuEntry(
            "tahun",
            _("Tahun program"),
            "registry:year_detail",
            ("programmes.view_programmeyear",),
            unless="registry.view_dtsenimport",
        ),
        MenuEntry(
            "penyaringan",
            _("Penyaringan"),
            "screening:run_detail",
            ("screening.view_screeningrun",),
            arg="run",
        ),
        MenuEntry(
            "penetapan",
            _("Usulan"),
            "participants:proposal_detail",
            ("participants.view_proposal",),
        ),
        MenuEntry(
            "verifikasi",
            _("Verifikasi"),
            "verification:batch_list",
            ("verification.view_verificationbatch",),
        ),
        MenuEntry("keputusan", _("Keputusan"), "decrees:year_detail", ("decrees.view_decree",)),
        MenuEntry(
            "pendaftaran",
            _("Pendaftaran BPJS"),
            "enrollment:batch_year",
            ("enrollment.view_registrationbatch",),
        ),
        MenuEntry("kartu", _("Kartu"), "enrollment:card_list", ("enrollment.view_card",)),
        MenuEntry(
            "iuran", _("Iuran"), "contributions:year_detail", ("contributions.view_contributions",)
        ),
        MenuEntry("akhir", _("Akhir kepesertaan"), "ends:year_ends", ("ends.view_ends",)),
        MenuEntry(
            "akhir-unggah",
            _("Unggah data akhir"),
            "ends:end_import_upload",
            ("ends.import_dukcapil_ends",),
            unless="ends.view_ends",
        ),
        MenuEntry(
            "klaim-unggah",
            _("Unggah klaim"),
            "ends:end_import_upload",
            ("ends.import_claims",),
            unless="ends.view_ends",
        ),
        MenuEntry("sanggahan", _("Sanggahan"), "appeals:year_list", ("appeals.view_appeal",)),
        MenuEntry(
            "pengawasan",
            _("Pengawasan"),
            "supervision:year_detail",
            ("supervision.view_supervision",),
        ),
        MenuEntry(
            "monitoring", _("Monitoring"), "monitoring:year", ("monitoring.view_monitoring",)
        ),
        MenuEntry(
            "laporan", _("Laporan"), "monitoring:report_year", ("monitoring.view_monitoring",)
        ),
        MenuEntry(
            "lanjutan",
            _("Lanjutan"),
            "renewal:year_detail",
            ("participants.view_proposal", "screening.view_person_decision"),
            only_carried=True,
        ),
        MenuEntry(
            "daftar-lain", _("Daftar lain"), "linkage:year_lists", ("linkage.view_otherlist",)
        ),
        MenuEntry("sop", _("SOP"), "procedures:year_sops", ("programmes.view_programmeyear",)),
        MenuEntry(
            "perencanaan",
            _("Perencanaan"),
            "planning:simulation_home",
            ("planning.run_simulation",),
            arg="",
        ),
        MenuEntry(
            "orang", _("Orang"), "people:person_list", ("screening.view_person_decision",), arg=""
        ),
        MenuEntry(
            "audit", _("Jejak audit"), "audit:entry_list", ("audit.view_auditentry",), arg=""
        ),
        MenuEntry("pengguna", _("Pengguna"), "accounts:user_list", ("accounts.view_user",), arg=""),
        MenuEntry(
            "riwayat-masuk",
            _("Riwayat masuk"),
            "accounts:login_history",
            ("accounts.view_user",),
            arg="",
        ),
    ]


@dataclass(frozen=True)
class MenuLink:
    code: str
    label: str
    url: str


def menu_links(*, user: Any, nav: dict[str, Any] | None) -> list[MenuLink]:
    """The links ``user`` may follow, for the year ``nav`` names (None: only the pages that
    need no year)."""
    if user is None or not user.is_authenticated:
        return []
    links: list[MenuLink] = []
    seen: set[str] = set()
    for entry in menu_entries():
        if not all(user.has_perm(p) for p in entry.perms):
            continue
        if entry.unless and user.has_perm(entry.unless):
            continue
        if entry.only_carried and not (nav and nav.get("carried")):
            continue
        if entry.arg == "year":
            if not nav:
                continue
            url = reverse(entry.url_name, args=[nav["pk"]])
        elif entry.arg == "run":
            if not nav or not nav.get("run"):
                continue
            url = reverse(entry.url_name, args=[nav["run"]])
        else:
            url = reverse(entry.url_name)
        if url in seen:  # one upload page serves deaths and claims alike
            continue
        seen.add(url)
        links.append(MenuLink(code=entry.code, label=entry.label, url=url))
    return links


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the menu links and the year they point to."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    session = getattr(request, "session", None)
    nav = session.get(NAV_KEY) if session is not None else None
    return {
        "nav_links": menu_links(user=user, nav=nav),
        "nav_year": nav.get("year") if nav else None,
    }
