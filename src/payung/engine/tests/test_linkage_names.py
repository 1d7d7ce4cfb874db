"""The Indonesian name normaliser (engine/linkage/names.py): what two offices write
differently for one person must become one key, and nothing more."""

from __future__ import annotations

import pyarrow as pa
import pytest

from payung.engine.linkage.names import name_join, name_key, name_normalise


@pytest.mark.parametrize(
    ("written", "key"),
    [
        # Titles and honorifics before the name, with or without dots and spaces.
        ("Hj. Siti Aminah", "SITI AMINAH"),
        ("H.ASEP SAEPUDIN", "ASEP SEPUDIN"),
        ("DRS. H. ASEP SAEPUDIN", "ASEP SEPUDIN"),
        ("BPK UJANG", "UJANG"),
        ("IBU ENTIN", "ENTIN"),
        ("IR. SOEHARTO", "SUHARTO"),
        # Degrees after a comma or at the end, dotted or not.
        ("SITI AMINAH, S.PD", "SITI AMINAH"),
        ("ASEP SAEPUDIN S.PD.I", "ASEP SEPUDIN"),
        ("ASEP SPD", "ASEP"),
        # Every spelling of Muhammad is one token.
        ("MUHAMMAD ROHMAT", "M ROHMAT"),
        ("MUHAMAD ROHMAT", "M ROHMAT"),
        ("MOH. ROHMAT", "M ROHMAT"),
        ("M.ROHMAT", "M ROHMAT"),
        ("MOCHAMAD ROHMAT", "M ROHMAT"),
        # Old and Sundanese spellings, doubled letters, apostrophes, case and spaces.
        ("SOEKARNO", "SUKARNO"),
        ("ZAINAL ARIFIN", "JENAL ARIPIN"),
        ("JAENAL ARIPIN", "JENAL ARIPIN"),
        ("SYAMSUL", "SAMSUL"),
        ("JAMALUDDIN", "JAMALUDIN"),
        ("MA'RUF", "MARUP"),
        ("  nur   hasanah ", "NUR HASANAH"),
    ],
)
def test_name_key_gives_one_spelling(written: str, key: str) -> None:
    assert name_key(written) == key


def test_a_person_keeps_a_name_that_only_looks_like_a_title() -> None:
    # "HASAN" starts with H and "IBUNDA" with IBU: only whole title words go.
    assert name_key("HASAN BASRI") == "HASAN BASRI"
    assert name_key("IBUNDA") == "IBUNDA"


def test_nothing_left_is_null() -> None:
    assert name_key(None) is None
    assert name_key("   ") is None
    assert name_key("-") is None


def test_joined_key_ignores_spaces_and_the_letters_joining_doubles() -> None:
    keys = name_join(
        name_normalise(
            pa.array(
                [
                    *("NUR HASANAH", "NURHASANAH", "EPON NURAENI", "EPONNNURAENI"),
                    *("ENOK HODIJAH", "ENOKHODIJAH", None),
                ]
            )
        )
    )
    assert keys.to_pylist() == [
        *("NURHASANAH", "NURHASANAH", "EPONURENI", "EPONURENI", "ENOHODIJAH", "ENOHODIJAH"),
        None,
    ]


def test_array_and_scalar_agree_and_keep_order() -> None:
    names = ["M. ROHMAT", None, "HJ. SITI", "M. ROHMAT"]
    assert name_normalise(pa.array(names)).to_pylist() == [name_key(n) for n in names]
