"""A first policy file for any regency or city, from another regency's as a starting point.

Payung's promise is that the regulation is data, so any of the 514 regencies and cities can
run it. A regency that has no file yet starts from Pandeglang's (Perbup 63/2025): the
scaffold writes its own names, region code and districts from the Kepmendagri table
(``wilayah``), rewrites the decrees' issuers for its head (Bupati or Wali Kota), and marks
everything else "asumsi" in ``provenance`` so ``payung policy check`` keeps reporting it
until the regency's legal division has confirmed each value against its own regulation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import yaml

from payung.domain import wilayah
from payung.domain.policy import Policy, policy_parse, policy_text

#: Where the Kepmendagri table comes from (domain/data/SOURCE.md).
KEPMENDAGRI: Final = "Kepmendagri Nomor 300.2.2-2138 Tahun 2025"


class ScaffoldError(ValueError):
    """A region the scaffold cannot write a policy for (message in Indonesian)."""


def _head(name: str) -> tuple[str, str, str]:
    """(short name, head title, regulation kind) for ``Kabupaten X`` / ``Kota X``."""
    if name.startswith("Kota "):
        return name.removeprefix("Kota "), "WALI KOTA", "Peraturan Wali Kota"
    return name.removeprefix("Kabupaten "), "BUPATI", "Peraturan Bupati"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _rewrite(value: Any, replacements: list[tuple[str, str]]) -> Any:
    """Every text in a loaded YAML tree with the base regency's names replaced."""
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_rewrite(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, replacements) for k, v in value.items()}
    return value


def policy_scaffold(*, region_code: str, base: str = "pandeglang-2025") -> str:
    """The YAML text of a new policy for the regency or city ``region_code`` (4 digits,
    dotted or not), copied from ``base`` (a shipped id or a file path).

    Raises ``ScaffoldError`` for a code that is no regency or city in the table.
    """
    try:
        code = wilayah.normalize(region_code)
    except ValueError:
        raise ScaffoldError(f"kode wilayah '{region_code}' tidak sah") from None
    region = wilayah.lookup(code)
    if region is None or region.level != "kabkota":
        raise ScaffoldError(
            f"kode {region_code} bukan kabupaten/kota dalam tabel Kepmendagri (4 angka, mis. 3326)"
        )
    base_path = Path(base)
    text = (
        base_path.read_text(encoding="utf-8")
        if base.endswith((".yaml", ".yml"))
        else policy_text(base)
    )
    source: Policy = policy_parse(text, source=base)
    data = yaml.safe_load(text)
    province = wilayah.lookup(region.parent or "")
    short, head, kind = _head(region.name)
    old_short = source.region.name.removeprefix("Kabupaten ").removeprefix("Kota ")
    old_code = source.region.code
    replacements = [
        (source.region.name, region.name),
        (source.region.name.upper(), region.name.upper()),
        (f"BUPATI {old_short.upper()}", f"{head} {short.upper()}"),
        (f"WALI KOTA {old_short.upper()}", f"{head} {short.upper()}"),
        (f"diawali {old_code}", f"diawali {code}"),
    ]
    # The base's own regency law and regulation are not the new region's legal bases.
    data["legal_bases"] = [b for b in data.get("legal_bases", []) if old_short not in b]
    data = _rewrite(data, replacements)
    data["id"] = f"{_slug(region.name.removeprefix('Kabupaten '))}-rancangan"
    data["version"] = "0.1-rancangan"
    data["title"] = (
        f"Rancangan {kind} {short} tentang Jaminan Sosial Ketenagakerjaan bagi Pekerja Rentan"
    )
    data["short_title"] = f"Rancangan {'Perwali' if head == 'WALI KOTA' else 'Perbup'} {short}"
    data["region"] = {"code": code, "name": region.name}
    for rule in data.get("rules", []):
        if rule.get("kind") == "domicile":
            rule["params"]["region"] = code
    data["ranking"]["seed"] = int(code)
    data["sanctions"] = {"enabled": False}
    data.pop("districts", None)
    data["districts"] = [
        {"code": d.code, "name": d.name} for d in wilayah.children(code) if len(d.code) == 6
    ]
    copied = (
        f"Disalin dari {source.short_title} sebagai titik awal; belum dikonfirmasi Bagian "
        f"Hukum {region.name} terhadap peraturannya sendiri."
    )
    provenance: dict[str, dict[str, str]] = {
        "region": {"source": "peraturan", "ref": f"{KEPMENDAGRI} (kode wilayah {code})"},
        "districts": {"source": "peraturan", "ref": f"{KEPMENDAGRI} (kecamatan {code})"},
    }
    for key in data:
        if key in {"id", "version", "region", "districts", "provenance"}:
            continue
        provenance[key] = {"source": "asumsi", "why": copied}
    for rule in data.get("rules", []):
        if rule.get("kind") == "domicile":
            provenance[f"rules.{rule['id']}.params.region"] = {
                "source": "peraturan",
                "ref": f"{KEPMENDAGRI} (kode wilayah {code})",
            }
    data["provenance"] = provenance
    where = f"{region.name}, {province.name}" if province else region.name
    header = (
        f"# Kerangka kebijakan untuk {where} ({wilayah.dotted_code(code)}),\n"
        f"# dibuat dari {source.id} oleh `payung policy new`. Semua nilai bertanda asumsi di\n"
        f"# `provenance` harus dicocokkan dengan peraturan daerah ini; `payung policy check`\n"
        f"# menampilkan yang belum dikonfirmasi.\n"
    )
    out = header + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=95)
    policy_parse(out, source=data["id"])  # the scaffold must load, or it is a bug here
    return out
