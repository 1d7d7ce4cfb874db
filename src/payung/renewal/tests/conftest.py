"""Personas together, for the renewal factories."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def personas(
    operator_dinsos: Any,
    operator_dinsos_2: Any,
    verifikator_dukcapil: Any,
    operator_disnaker: Any,
    operator_disnaker_2: Any,
    petugas_bpjs: Any,
) -> dict[str, Any]:
    return {
        "operator_dinsos": operator_dinsos,
        "operator_dinsos_2": operator_dinsos_2,
        "verifikator_dukcapil": verifikator_dukcapil,
        "operator_disnaker": operator_disnaker,
        "operator_disnaker_2": operator_disnaker_2,
        "petugas_bpjs": petugas_bpjs,
    }
