from __future__ import annotations

import pytest

from payung.audit.templatetags.audit_detail import detail_json


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ({}, ""),
        (None, ""),
        ({"b": 2, "a": "Sukamaju"}, '{"a": "Sukamaju", "b": 2}'),
        ({"nik": "3601********0001", "n": [1, 2]}, '{"n": [1, 2], "nik": "3601********0001"}'),
    ],
)
def test_detail_is_shown_as_sorted_json(value: object, shown: str) -> None:
    assert detail_json(value) == shown
