"""The participants' tests build their fixtures from this stage and the ones before it.

``test_layers`` leaves tests out (a test may drive a whole cycle), but a lower stage's tests
that borrow a later stage's factories break when that stage changes and hide what the lower
stage itself needs: the pagu forecast once imported ``contributions``' factories. Browser
fixtures of ``web`` are the one exception (the browser tests' shared login helpers).
"""

from __future__ import annotations

from pathlib import Path

from payung.tests.test_layers import LAYERS, PACKAGE, _imports, _top

HERE = Path(__file__).parent
OWN = LAYERS["participants"]
ALLOWED = {"payung.web.tests.test_browser", "payung.conftest"}


def test_no_participants_test_imports_a_later_stage() -> None:
    later = sorted(
        f"{path.relative_to(PACKAGE)}: {module}"
        for path in HERE.rglob("*.py")
        for module in _imports(path)
        if (other := _top(module)) in LAYERS
        and LAYERS[other] > OWN
        and not any(module == a or module.startswith(f"{a}.") for a in ALLOWED)
    )
    assert later == [], "\n".join(later)
