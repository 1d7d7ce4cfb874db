"""Test personas named for agency roles (house style, after Zulip's example users).

Each persona is a real user made through ``accounts.services.user_create`` with the group of
its role, so tests exercise the same permission path production does.
"""

from __future__ import annotations

from typing import Any

import pytest

PERSONAS: dict[str, tuple[str, str, str]] = {
    # fixture name: (role code, agency kind, agency name)
    "operator_dinsos": ("operator_pendataan", "dinsos", "Dinas Sosial"),
    "operator_dinsos_2": ("operator_pendataan", "dinsos", "Dinas Sosial"),
    "verifikator_dukcapil": ("verifikator", "disdukcapil", "Disdukcapil"),
    "operator_disnaker": ("operator_kepesertaan", "disnakertrans", "Disnakertrans"),
    "operator_disnaker_2": ("operator_kepesertaan", "disnakertrans", "Disnakertrans"),
    "bendahara_disnaker": ("bendahara", "disnakertrans", "Disnakertrans"),
    "petugas_bpjs": ("petugas_bpjs", "bpjs", "BPJS Ketenagakerjaan Cabang Pandeglang"),
    "anggota_tim": ("anggota_tim", "bapperida", "Bapperida"),
    "auditor_inspektorat": ("auditor", "inspektorat", "Inspektorat"),
    "admin_kominfo": ("admin", "diskominfo", "Diskominfo"),
}

PASSWORD = "rahasia-uji-123"


def _persona(name: str) -> Any:
    role, kind, agency_name = PERSONAS[name]

    @pytest.fixture
    def fixture(db: None) -> Any:
        from payung.accounts.services import agency_get_or_create, user_create

        agency = agency_get_or_create(kind=kind, name=agency_name)
        return user_create(username=name, password=PASSWORD, role=role, agency=agency)

    fixture.__name__ = name
    return fixture


for _name in PERSONAS:
    globals()[_name] = _persona(_name)


@pytest.fixture(autouse=True)
def _cache_cleared() -> Any:
    """Each test starts with an empty cache.

    Workspace and page figures are memoised per programme year and a version of its data
    (core.worklist.worklist_memo); test databases are rolled back and reuse primary keys, so a
    figure kept by one test could otherwise answer another test's identical key.
    """
    from django.core.cache import caches

    for store in caches.all():
        store.clear()
    yield
