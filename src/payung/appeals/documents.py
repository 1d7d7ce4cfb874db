"""The answer letter of an appeal (Surat Jawaban Sanggahan), DOCX and PDF.

Addressed to the person (name and masked NIK), signed by the Kepala Dinas Sosial, whose
office does the pendataan (Pasal 7 ayat (1)). It states what was asked and with which
documents, every criterion of the pinned policy with its article, met or not and the value
used (the words of the screening page), the outcome and what the person can do next: the
waiting-list rank and what it means (Pasal 6 ayat (2), Pasal 7 ayat (3)-(4)), or which data
to correct and where. Built from the stored appeal; ``scripts/build_doc_templates.py`` makes
the shipped DOCX template ``jawaban-sanggahan``, ``documents/jawaban-sanggahan.html`` the PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from django.utils.translation import gettext as _

from payung.appeals.models import Appeal
from payung.appeals.selectors import appeal_explain, appeal_get, field_label
from payung.core.formatting import tanggal
from payung.core.places import village_label
from payung.documents.contexts import Signatory
from payung.documents.render import docx_render, pdf_render
from payung.documents.services import subject_pk
from payung.domain import nik as nik_domain
from payung.programmes.selectors import programme_year_policy

TEMPLATE: Final = "jawaban-sanggahan"


def _letter_channel(code: str) -> str:
    """How the appeal came in, as the letter's sentence continues "…melalui": the page's
    labels ("Melalui desa") would read "melalui Melalui desa" there."""
    words = {
        Appeal.Channel.LOKET: _("loket Dinas Sosial"),
        Appeal.Channel.DESA: _("pemerintah desa"),
    }
    return str(words[code])


@dataclass(frozen=True)
class CorrectionRow:
    no: int
    label: str
    value: str
    source: str


@dataclass(frozen=True)
class CriterionLine:
    no: int
    article: str
    sentence: str
    result: str  # "terpenuhi" | "tidak terpenuhi" | "tidak dinilai"
    value: str


@dataclass(frozen=True)
class AnswerLetterContext:
    """Surat Jawaban Sanggahan: one appeal, its re-screening and the answer."""

    region_name: str
    place: str
    year: int
    date_long: str
    letter_no: int
    name: str
    nik_masked: str
    filed_by: str
    channel: str
    received_long: str
    refusal: str
    grounds: str
    corrections: list[CorrectionRow]
    policy_title: str
    as_of_long: str
    criteria: list[CriterionLine]
    granted: bool
    outcome: str
    rank: int | None
    next_steps: list[str]
    legal_basis: str
    signer: Signatory


def _where_to_correct(kind: str, region: str) -> str:
    """Where a person corrects the data a criterion of this kind is judged on."""
    return {
        "occupation": _(
            "pekerjaan: surat keterangan pekerjaan dari kepala desa/lurah, atau perubahan "
            "pekerjaan pada KTP dan Kartu Keluarga di Disdukcapil"
        ),
        "working": _(
            "pekerjaan: surat keterangan pekerjaan dari kepala desa/lurah, atau perubahan "
            "pekerjaan pada KTP dan Kartu Keluarga di Disdukcapil"
        ),
        "domicile": _("domisili: KTP dan Kartu Keluarga dengan alamat di %(r)s (Disdukcapil)")
        % {"r": region},
        "age": _("tanggal lahir: KTP atau akta kelahiran (Disdukcapil)"),
        "decile": _(
            "desil kesejahteraan: usulan pemutakhiran DTSEN melalui desa/kelurahan kepada "
            "Dinas Sosial"
        ),
        "other_aid": _(
            "bantuan iuran dari sumber lain: surat keterangan dari pemberi bantuan bahwa "
            "bantuan telah berhenti"
        ),
    }.get(kind, _("data kependudukan: Disdukcapil"))


def answer_letter_context(appeal: Appeal) -> AnswerLetterContext:
    year = appeal.programme_year
    policy = programme_year_policy(programme_year=year)
    explanation = appeal_explain(appeal=appeal)
    region = year.region_name.removeprefix("Kabupaten ").removeprefix("Kota ")
    criteria = []
    for i, row in enumerate(explanation.criteria if explanation else [], start=1):
        result = (
            _("tidak dinilai")
            if row.passed is None
            else (_("terpenuhi") if row.passed else _("tidak terpenuhi"))
        )
        note = f" {row.deemed_note}" if row.deemed_by else ""
        criteria.append(
            CriterionLine(
                no=i,
                article=row.article + note,
                sentence=row.sentence,
                result=result,
                value=row.value,
            )
        )
    corrections = []
    for i, (name, item) in enumerate(sorted(appeal.corrections.items()), start=1):
        value = item["value"]
        if name == "kode_desa":
            value = f"{value} ({village_label(value)})"
        elif name == "tanggal_lahir":
            value = tanggal(value)
        corrections.append(
            CorrectionRow(no=i, label=field_label(name), value=value, source=item["source"])
        )
    granted = appeal.outcome in (Appeal.Outcome.WAITING_LIST, Appeal.Outcome.REPLACEMENT_ROUND)
    if appeal.outcome == Appeal.Outcome.WAITING_LIST:
        outcome = _(
            "Sanggahan DITERIMA. Dengan data perbaikan, Saudara/i memenuhi seluruh kriteria dan "
            "dimasukkan ke dalam daftar tunggu pada peringkat %(rank)s."
        ) % {"rank": appeal.placed_rank}
        steps = [
            _(
                "Daftar tunggu diisi menurut peringkat apabila ada tempat yang kosong (misalnya "
                "peserta yang meninggal dunia atau pindah) dan sisa pagu anggaran mencukupi "
                "untuk bulan yang tersisa (Pasal 6 ayat (2)). Peringkat tidak menjamin "
                "kepesertaan pada tahun ini dan tidak mendahului orang yang peringkatnya lebih "
                "tinggi."
            ),
            _(
                "Apabila giliran Saudara/i tiba, data Saudara/i diverifikasi oleh Disdukcapil "
                "(Pasal 7 ayat (3)) dan ditetapkan dengan Keputusan Bupati (Pasal 7 ayat (4)) "
                "sebelum didaftarkan kepada BPJS Ketenagakerjaan."
            ),
        ]
    elif appeal.outcome == Appeal.Outcome.REPLACEMENT_ROUND:
        outcome = _(
            "Sanggahan DITERIMA. Dengan data perbaikan, Saudara/i memenuhi seluruh kriteria dan "
            "didahulukan pada putaran pengganti berikutnya (peringkat %(rank)s)."
        ) % {"rank": appeal.placed_rank}
        steps = [
            _(
                "Putaran pengganti dilaksanakan apabila ada tempat yang kosong dan sisa pagu "
                "anggaran mencukupi untuk bulan yang tersisa (Pasal 6 ayat (2))."
            ),
            _(
                "Sebelum ditetapkan, data Saudara/i diverifikasi oleh Disdukcapil (Pasal 7 ayat "
                "(3)) dan ditetapkan dengan Keputusan Bupati (Pasal 7 ayat (4))."
            ),
        ]
    else:
        failed = [c for c in (appeal.result_reasons or "").split(";") if c]
        articles = []
        steps = []
        for code in failed:
            try:
                rule = policy.rule(code)
            except KeyError:
                articles.append(code)
                continue
            articles.append(rule.article)
            steps.append(
                _("%(article)s (%(sentence)s) belum terpenuhi. Data yang dapat diperbaiki: %(w)s.")
                % {
                    "article": rule.article,
                    "sentence": rule.sentence,
                    "w": _where_to_correct(rule.kind, year.region_name),
                }
            )
        outcome = _(
            "Sanggahan DITOLAK. Dengan data perbaikan, Saudara/i belum memenuhi %(articles)s."
        ) % {"articles": ", ".join(articles) or _("kriteria")}
        steps.append(
            _(
                "Setelah data diperbaiki, Saudara/i dapat mengajukan sanggahan kembali melalui "
                "loket Dinas Sosial atau desa/kelurahan, atau akan disaring kembali pada "
                "pendataan tahun program berikutnya."
            )
        )
    person = appeal.person
    return AnswerLetterContext(
        region_name=year.region_name,
        place=region,
        year=year.year,
        date_long=tanggal(appeal.answered_on),
        letter_no=appeal.pk,
        name=person.nama,
        nik_masked=nik_domain.mask(person.nik),
        filed_by=appeal.filed_by,
        channel=_letter_channel(appeal.channel),
        received_long=tanggal(appeal.received_on),
        refusal=appeal.get_refusal_display(),
        grounds=appeal.grounds,
        corrections=corrections,
        policy_title=policy.title,
        as_of_long=tanggal(appeal.decision.run.as_of) if appeal.decision_id else "",
        criteria=criteria,
        granted=granted,
        outcome=outcome,
        rank=appeal.placed_rank,
        next_steps=steps,
        legal_basis=_(
            "Pasal 5 (kriteria peserta), Pasal 6 ayat (2) (pentahapan menurut kemampuan "
            "keuangan daerah) dan Pasal 7 (pendataan, verifikasi dan penetapan) %(title)s"
        )
        % {"title": policy.title},
        signer=Signatory(title=f"KEPALA DINAS SOSIAL {year.region_name.upper()}"),
    )


def _appeal(document: Any) -> Appeal:
    appeal = appeal_get(pk=subject_pk(document))
    if appeal is None:
        raise LookupError("appeal gone")
    return appeal


def answer_letter_docx(document: Any) -> bytes:
    return docx_render(TEMPLATE, answer_letter_context(_appeal(document)))


def answer_letter_pdf(document: Any) -> bytes:
    return pdf_render(TEMPLATE, answer_letter_context(_appeal(document)))


__all__ = ["AnswerLetterContext", "answer_letter_context"]
