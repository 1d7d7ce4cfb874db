"""PP 86/2013's ladder through the services: its order, its deadlines in working days, the
fine, the evidence, and a policy without sanctions refusing every step."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from payung.audit.models import AuditEntry
from payung.supervision import services
from payung.supervision.models import SanctionCase, SanctionStep
from payung.supervision.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(operator_disnaker) -> SanctionCase:
    year = f.supervision_year()
    employer = f.employer_add(actor=operator_disnaker)
    report = f.report_add(year=year, employer=employer, actor=operator_disnaker)
    return services.sanction_case_open(
        report=report,
        actor=operator_disnaker,
        finding="12 pekerja belum didaftarkan",
        unpaid_contributions=12_500_000,
    )


def _step(case, actor, kind, when, **kw):
    return services.sanction_step_record(
        case=case, actor=actor, kind=kind, letter_date=when, letter_number="B/1/2026", **kw
    )


def test_a_warning_deadline_counts_working_days_across_holidays(case, petugas_bpjs) -> None:
    """Friday 13 March 2026 plus 10 working days: Nyepi (18-19 March), Idulfitri with its
    collective leave (20-24 March) and Good Friday (3 April) do not count: 6 April."""
    step = _step(case, petugas_bpjs, "teguran_1", f.W1)

    assert step.deadline == f.W1_DEADLINE == date(2026, 4, 6)


def test_no_withholding_before_two_warnings_and_the_fine_period(
    case, petugas_bpjs, operator_disnaker
) -> None:
    with pytest.raises(ValidationError, match="Langkah sebelumnya belum dicatat"):
        _step(case, petugas_bpjs, "permintaan", f.REQUEST)
    with pytest.raises(ValidationError, match="Langkah sebelumnya belum dicatat"):
        _step(case, operator_disnaker, "penghentian", f.WITHHOLD)
    with pytest.raises(ValidationError, match="Langkah sebelumnya belum dicatat"):
        _step(case, petugas_bpjs, "denda", f.FINE)
    _step(case, petugas_bpjs, "teguran_1", f.W1)
    # The second warning only once the first one's 10 working days are over.
    with pytest.raises(ValidationError, match="belum lewat"):
        _step(case, petugas_bpjs, "teguran_2", f.W1_DEADLINE)
    _step(case, petugas_bpjs, "teguran_2", f.W2)
    with pytest.raises(ValidationError, match="belum lewat"):
        _step(case, petugas_bpjs, "denda", f.W2_DEADLINE)
    fine = _step(case, petugas_bpjs, "denda", f.FINE)
    # No request to withhold while the fine's 30 days run.
    with pytest.raises(ValidationError, match="belum lewat"):
        _step(case, petugas_bpjs, "permintaan", f.FINE_DEADLINE)
    _step(case, petugas_bpjs, "permintaan", f.REQUEST)
    _step(case, operator_disnaker, "penghentian", f.WITHHOLD)
    case.refresh_from_db()

    assert fine.deadline == f.FINE_DEADLINE
    assert case.status == SanctionCase.Status.WITHHELD
    assert list(case.steps.values_list("kind", flat=True)) == [
        "teguran_1",
        "teguran_2",
        "denda",
        "permintaan",
        "penghentian",
    ]


def test_the_fine_is_one_permille_of_the_unpaid_contributions(case, petugas_bpjs) -> None:
    f.case_to(case=case, bpjs=petugas_bpjs, disnaker=None, until="denda")

    fine = case.steps.get(kind="denda")
    assert fine.fine_amount == 12_500  # 0,1 % of Rp12.500.000


def test_a_policy_with_one_warning_goes_from_it_to_the_fine(
    operator_disnaker, petugas_bpjs
) -> None:
    year = f.supervision_year(warnings=1)
    report = f.report_add(
        year=year, employer=f.employer_add(actor=operator_disnaker), actor=operator_disnaker
    )
    case = services.sanction_case_open(
        report=report, actor=operator_disnaker, finding="iuran", unpaid_contributions=1000
    )
    _step(case, petugas_bpjs, "teguran_1", f.W1)

    with pytest.raises(ValidationError, match="tidak memakai langkah ini"):
        _step(case, petugas_bpjs, "teguran_2", f.W2)
    assert _step(case, petugas_bpjs, "denda", f.W2).kind == "denda"


def test_each_side_records_only_its_own_steps(case, petugas_bpjs, operator_disnaker) -> None:
    with pytest.raises(PermissionDenied):
        _step(case, operator_disnaker, "teguran_1", f.W1)
    f.case_to(case=case, bpjs=petugas_bpjs, disnaker=operator_disnaker, until="permintaan")
    with pytest.raises(PermissionDenied):
        _step(case, petugas_bpjs, "penghentian", f.WITHHOLD)


def test_lifting_needs_proof_of_payment_and_registration_with_a_scan(
    case, petugas_bpjs, operator_disnaker
) -> None:
    f.case_to(case=case, bpjs=petugas_bpjs, disnaker=operator_disnaker, until="penghentian")
    with pytest.raises(ValidationError) as refused:
        _step(case, operator_disnaker, "pencabutan", f.LIFT, paid_proof=True)
    assert set(refused.value.message_dict) == {"paid_proof", "evidence"}
    with pytest.raises(ValidationError) as not_pdf:
        _step(
            case,
            operator_disnaker,
            "pencabutan",
            f.LIFT,
            paid_proof=True,
            registered_proof=True,
            evidence=f.SimpleUploadedFile("bukti.pdf", b"bukan pdf"),
        )
    assert "evidence" in not_pdf.value.message_dict

    upload = f.pdf_upload()
    lifted = _step(
        case,
        operator_disnaker,
        "pencabutan",
        f.LIFT,
        paid_proof=True,
        registered_proof=True,
        evidence=upload,
    )
    case.refresh_from_db()

    import hashlib

    assert lifted.evidence_sha256 == hashlib.sha256(f.pdf_bytes()).hexdigest()
    assert case.status == SanctionCase.Status.LIFTED
    with pytest.raises(ValidationError, match="sudah selesai"):
        _step(case, petugas_bpjs, "selesai", f.LIFT)


def test_compliance_before_withholding_ends_the_case(case, petugas_bpjs) -> None:
    _step(case, petugas_bpjs, "teguran_1", f.W1)
    services.sanction_step_record(
        case=case, actor=petugas_bpjs, kind="selesai", letter_date=date(2026, 3, 20)
    )
    case.refresh_from_db()

    assert case.status == SanctionCase.Status.RESOLVED
    with pytest.raises(ValidationError):
        _step(case, petugas_bpjs, "teguran_2", f.W2)


def test_a_policy_without_sanctions_refuses_cases_and_steps(
    operator_disnaker, petugas_bpjs
) -> None:
    """Pandeglang's policy has the ladder off: no case can be opened, and a case that exists
    anyway (written before the policy was pinned) takes no step."""
    year = f.supervision_year(enabled=False)
    report = f.report_add(
        year=year, employer=f.employer_add(actor=operator_disnaker), actor=operator_disnaker
    )
    with pytest.raises(ValidationError, match="tidak menerapkan sanksi"):
        services.sanction_case_open(
            report=report, actor=operator_disnaker, finding="x", unpaid_contributions=0
        )
    stray = SanctionCase.objects.create(
        programme_year=year, report=report, finding="x", opened_by=operator_disnaker
    )
    with pytest.raises(ValidationError, match="tidak menerapkan sanksi"):
        _step(stray, petugas_bpjs, "teguran_1", f.W1)
    assert not SanctionStep.objects.exists()


def test_the_shipped_pandeglang_policy_has_the_ladder_off(operator_disnaker) -> None:
    from payung.programmes.tests.factories import ProgrammeYearFactory

    assert services.sanctions_of(ProgrammeYearFactory()).enabled is False


def test_every_write_is_audited_without_names(case, petugas_bpjs, operator_disnaker) -> None:
    f.case_to(case=case, bpjs=petugas_bpjs, disnaker=operator_disnaker, until="penghentian")
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))

    assert actions.count("sanction_step_record") == 5
    assert {"employer_create", "supervision_report_record", "sanction_case_open"} <= set(actions)
    details = " ".join(str(d) for d in AuditEntry.objects.values_list("detail", flat=True))
    assert "Ahmad" not in details and "CV Maju" not in details
