"""The roles of design §1 and the permissions each holds.

A role is a Django group whose permissions are defined here, in one place, so an auditor can
read who may do what in a single table. Permission codenames are ``app_label.codename`` of
permissions declared in the apps' model ``Meta.permissions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Role:
    code: str
    name: str  # Indonesian, shown in the UI
    agency_kind: str  # the agency whose staff hold it
    articles: str
    permissions: tuple[str, ...]


VIEW_SCREENING = "screening.view_screeningrun"
VIEW_PROPOSAL = "participants.view_proposal"
VIEW_BATCH = "verification.view_verificationbatch"
VIEW_DECREE = "decrees.view_decree"
VIEW_DOCUMENT = "documents.view_document"
VIEW_APPEAL = "appeals.view_appeal"
ROLES: Final[tuple[Role, ...]] = (
    Role(
        "operator_pendataan",
        "Operator Pendataan",
        "dinsos",
        "7(1)-(3), 10(2)b-c",
        (
            "programmes.view_programmeyear",
            "programmes.manage_programmeyear",
            "registry.view_dtsenimport",
            "registry.import_extract",
            # Issue 13: decides whether two rows of an extract are one person under two NIKs.
            "registry.review_duplicates",
            VIEW_SCREENING,
            "screening.run_screening",
            "screening.view_person_decision",
            "screening.view_unmasked_nik",
            "screening.export_personal_data",
            VIEW_PROPOSAL,
            "participants.propose_candidates",
            "participants.approve_proposal",
            # Pasal 5 ayat (2) huruf f: other funders' lists, a person decides each match.
            "linkage.view_otherlist",
            "linkage.import_other_list",
            "linkage.decide_match",
            VIEW_BATCH,
            "verification.start_verification_round",
            "verification.export_verification",
            VIEW_DECREE,
            "programmes.view_teammember",
            VIEW_DOCUMENT,
            # Issue 12: appeals (sanggahan) are Dinas Sosial's; a second operator answers.
            VIEW_APPEAL,
            "appeals.record_appeal",
            "appeals.answer_appeal",
            # Issue 15: the SOPs of every agency, generated from the workflow.
            "procedures.generate_sop",
        ),
    ),
    Role(
        "verifikator",
        "Verifikator Disdukcapil",
        "disdukcapil",
        "7(3)",
        (
            "programmes.view_programmeyear",
            VIEW_SCREENING,
            "screening.view_person_decision",
            "screening.view_unmasked_nik",
            VIEW_PROPOSAL,
            VIEW_BATCH,
            "verification.export_verification",
            "verification.record_verification",
            # Issue 12: Disdukcapil's deaths and moves (a second person applies them).
            "ends.import_dukcapil_ends",
        ),
    ),
    Role(
        "operator_kepesertaan",
        "Operator Kepesertaan",
        "disnakertrans",
        "7(4), 8, 10(2)d, 10(5)",
        (
            "programmes.view_programmeyear",
            VIEW_SCREENING,
            "screening.view_person_decision",
            VIEW_PROPOSAL,
            VIEW_BATCH,
            VIEW_DECREE,
            "decrees.draft_decree",
            "decrees.record_signed_decree",
            "decrees.download_internal_annex",
            "programmes.view_teammember",
            "programmes.manage_team",
            "programmes.record_cooperation_agreement",
            VIEW_DOCUMENT,
            # Pasal 8: registers with BPJS and manages the participants, ends included.
            "participants.register_participant",
            "participants.activate_participant",
            "participants.end_participant",
            # A match confirmed after the decree ends cover (Pasal 5 ayat (2) huruf f).
            "linkage.view_otherlist",
            "linkage.import_other_list",
            "linkage.decide_match",
            # Pasal 8 ayat (4)-(5): cards reach the people; the register; the earlier roster.
            "enrollment.view_card",
            "enrollment.record_card",
            "enrollment.export_register",
            "enrollment.import_roster",
            # Pasal 8 ayat (1)-(3): prepares the batches, sends them, applies BPJS's answer
            # (a second operator when the first uploaded it: four eyes).
            "enrollment.view_registrationbatch",
            "enrollment.prepare_registration",
            "enrollment.upload_registration_answer",
            "enrollment.apply_registration_answer",
            "enrollment.manage_registration_profile",
            # Issue 12: the year's ends and claims; Disdukcapil's data it may upload too,
            # files uploaded by others it applies (four eyes).
            "ends.view_ends",
            "ends.import_dukcapil_ends",
            # Issue 15: the SOPs of every agency, generated from the workflow.
            "procedures.generate_sop",
            # Pasal 12 ayat (1), PP 86/2013 (issue 15): Disnakertrans keeps the employers'
            # register, records the supervision visits and issues the regency's letters.
            "supervision.view_supervision",
            "supervision.manage_employer",
            "supervision.record_supervision",
            "supervision.issue_sanction_letter",
        ),
    ),
    Role(
        "bendahara",
        "Bendahara",
        "disnakertrans",
        "9",
        (
            "programmes.view_programmeyear",
            # Pasal 9 ayat (1), (4): SP2D payments (a second bendahara confirms: four eyes)
            # and the reconciliation with BPJS's invoice.
            "contributions.view_contributions",
            # Pasal 9 ayat (1)-(3): issues the bill of each billing period and its letter.
            "contributions.issue_bill",
            "contributions.record_payment",
            "contributions.confirm_payment",
            "contributions.reconcile",
        ),
    ),
    Role(
        "petugas_bpjs",
        "Petugas BPJS Ketenagakerjaan",
        "bpjs",
        "8(3)-(5)",
        (
            "programmes.view_programmeyear",
            # Pasal 8 ayat (3): BPJS returns the KPJ and the cover start, so its officer may
            # record them directly; ending cover is the regency's act (an amending decree).
            "participants.register_participant",
            "participants.activate_participant",
            # Pasal 8 ayat (4): BPJS issues and distributes the cards.
            "enrollment.view_card",
            "enrollment.record_card",
            # Pasal 8 ayat (3): BPJS answers the registration (KPJ, cover start, refusals).
            "enrollment.view_registrationbatch",
            "enrollment.upload_registration_answer",
            # Issue 12: BPJS's claims file (JKK, JKM); the regency applies it.
            "ends.import_claims",
            # PP 86/2013 Pasal 6-8 (issue 15): BPJS's warnings, fine and request to withhold.
            "supervision.view_supervision",
            "supervision.record_bpjs_step",
        ),
    ),
    Role(
        "anggota_tim",
        "Anggota Tim",
        "tim",
        "10(2)e-h, 11, 12",
        (
            "programmes.view_programmeyear",
            VIEW_SCREENING,
            VIEW_PROPOSAL,
            VIEW_DECREE,
            "programmes.view_teammember",
            VIEW_DOCUMENT,
            # Pasal 10 ayat (2) huruf e, g: the team follows the appeals and their deadlines.
            VIEW_APPEAL,
            # Pasal 10 ayat (2) huruf e, g: and the ends of participation and the claims.
            "ends.view_ends",
            # Pasal 10 ayat (2) huruf e-h, Pasal 12 ayat (3): monitoring, the semester report
            # to the Regent (written and its signed copy uploaded by the team), minutes, recap.
            "monitoring.view_monitoring",
            "monitoring.write_report",
            "monitoring.upload_signed_report",
            # Pasal 6 ayat (2): the budget simulator for BPKD and Bapperida (issue 14).
            "planning.run_simulation",
            # Issue 15: the SOPs (Bagian Hukum is on the team: minutes item 5).
            "procedures.generate_sop",
            # Pasal 12 ayat (1): the supervision reports reach the team (read only).
            "supervision.view_supervision",
        ),
    ),
    Role(
        "auditor",
        "Auditor Inspektorat",
        "inspektorat",
        "10(3)a",
        (
            "programmes.view_programmeyear",
            "registry.view_dtsenimport",
            VIEW_SCREENING,
            "screening.view_person_decision",
            "audit.view_auditentry",
            "ends.view_ends",
            "linkage.view_otherlist",
            VIEW_PROPOSAL,
            "participants.view_candidateevent",
            "contributions.view_contributions",
            "enrollment.view_card",
            "enrollment.view_registrationbatch",
            VIEW_BATCH,
            VIEW_DECREE,
            "programmes.view_teammember",
            VIEW_DOCUMENT,
            VIEW_APPEAL,
            # Issue 14: monitoring and the team's reports, read only.
            "monitoring.view_monitoring",
            # Issue 14: the budget simulations (aggregates only) and their inputs.
            "planning.run_simulation",
            # Issue 15: employer supervision and sanctions, read only.
            "supervision.view_supervision",
        ),
    ),
    Role(
        "admin",
        "Administrator Sistem",
        "diskominfo",
        "—",
        (
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
            "programmes.view_programmeyear",
        ),
    ),
)

BY_CODE: Final[dict[str, Role]] = {r.code: r for r in ROLES}
