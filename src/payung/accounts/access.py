"""Who may use which page: every named URL, per HTTP method, with the roles that may use it.

``roles.py`` says what each role holds; the views say which permissions they check. Neither
alone tells an auditor "who may open this page", and a view that checks too little slips
through both. This table states the intent once, in role codes, and
``web/tests/test_access_matrix.py`` requests every URL of the URL configuration as every role
(and as an anonymous visitor) and compares what the views do with it. A URL missing here
fails that test with its name, so every new page has to declare who may see it (design §6).

Reading an entry: ``"GET": VIEWERS`` means exactly those roles get the page, every other
signed-in role gets 403 and an anonymous visitor is sent to the login page. A method that is
not listed is not served at all (405). ``PUBLIC`` pages (login, logout) are for everyone,
signed in or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from payung.accounts.roles import BY_CODE, ROLES

#: Marker for pages every visitor may use, signed in or not.
ANONYMOUS: Final = "anonymous"

OPERATOR_PENDATAAN: Final = "operator_pendataan"
VERIFIKATOR: Final = "verifikator"
OPERATOR_KEPESERTAAN: Final = "operator_kepesertaan"
BENDAHARA: Final = "bendahara"
PETUGAS_BPJS: Final = "petugas_bpjs"
ANGGOTA_TIM: Final = "anggota_tim"
AUDITOR: Final = "auditor"
ADMIN: Final = "admin"

Roles = frozenset[str]

ALL_ROLES: Final[Roles] = frozenset(r.code for r in ROLES)
PUBLIC: Final[Roles] = ALL_ROLES | {ANONYMOUS}

#: The year's screening totals (no person in them): the agencies of the team.
RUN_READERS: Final[Roles] = frozenset(
    {OPERATOR_PENDATAAN, VERIFIKATOR, OPERATOR_KEPESERTAAN, ANGGOTA_TIM, AUDITOR}
)
#: Decisions per person (names, masked NIKs, reasons): those whose work needs them.
PERSON_READERS: Final[Roles] = frozenset(
    {OPERATOR_PENDATAAN, VERIFIKATOR, OPERATOR_KEPESERTAAN, AUDITOR}
)
#: The full NIK, one audited reveal at a time: Dinas Sosial and Disdukcapil (Pasal 7 (3)).
NIK_REVEALERS: Final[Roles] = frozenset({OPERATOR_PENDATAAN, VERIFIKATOR})
PROPOSAL_READERS: Final[Roles] = RUN_READERS
BATCH_READERS: Final[Roles] = PERSON_READERS
DECREE_READERS: Final[Roles] = frozenset(
    {OPERATOR_PENDATAAN, OPERATOR_KEPESERTAAN, ANGGOTA_TIM, AUDITOR}
)
DOCUMENT_READERS: Final[Roles] = DECREE_READERS
IMPORT_READERS: Final[Roles] = frozenset({OPERATOR_PENDATAAN, AUDITOR})
#: Cards (Pasal 8 ayat (4)): BPJS issues and distributes them, Disnakertrans follows them up.
CARD_RECORDERS: Final[Roles] = frozenset({OPERATOR_KEPESERTAAN, PETUGAS_BPJS})
CARD_READERS: Final[Roles] = CARD_RECORDERS | {AUDITOR}
#: Registration with BPJS (Pasal 8 ayat (1)-(3)): Disnakertrans prepares and applies, BPJS
#: answers, the auditor reads (names, masked NIKs and KPJs).
REGISTRATION_ANSWERERS: Final[Roles] = frozenset({OPERATOR_KEPESERTAAN, PETUGAS_BPJS})
REGISTRATION_READERS: Final[Roles] = REGISTRATION_ANSWERERS | {AUDITOR}

#: Payments and the reconciliation with BPJS (Pasal 9): the bendahara works them, the
#: auditor reads them (amounts, SP2D numbers, masked KPJs; no names).
CONTRIBUTION_READERS: Final[Roles] = frozenset({BENDAHARA, AUDITOR})
_BENDAHARA: Final[Roles] = frozenset({BENDAHARA})

#: Other funders' lists (Pasal 5 ayat (2) huruf f): Dinas Sosial links them before the
#: decree, Disnakertrans after it (a confirmed match ends cover); the auditor reads them.
LIST_WORKERS: Final[Roles] = frozenset({OPERATOR_PENDATAAN, OPERATOR_KEPESERTAAN})
LIST_READERS: Final[Roles] = LIST_WORKERS | {AUDITOR}

#: Ends of participation (issue 12): Disnakertrans works them, the team and the auditor read
#: them; Disdukcapil uploads deaths and moves, BPJS its claims.
END_READERS: Final[Roles] = frozenset({OPERATOR_KEPESERTAAN, ANGGOTA_TIM, AUDITOR})
END_UPLOADERS: Final[Roles] = frozenset({OPERATOR_KEPESERTAAN, VERIFIKATOR, PETUGAS_BPJS})

#: Employer supervision (issue 15): Disnakertrans and BPJS work it, the team and the auditor
#: read it.
SUPERVISION_READERS: Final[Roles] = frozenset(
    {OPERATOR_KEPESERTAAN, PETUGAS_BPJS, ANGGOTA_TIM, AUDITOR}
)

_PENDATAAN: Final[Roles] = frozenset({OPERATOR_PENDATAAN})
_KEPESERTAAN: Final[Roles] = frozenset({OPERATOR_KEPESERTAAN})
_DUKCAPIL: Final[Roles] = frozenset({VERIFIKATOR})
_ADMIN: Final[Roles] = frozenset({ADMIN})

ACCESS: Final[Mapping[str, Mapping[str, Roles]]] = {
    # --- web, accounts, audit -----------------------------------------------------------
    "web:home": {"GET": ALL_ROLES},
    "web:favicon": {"GET": PUBLIC},
    "accounts:login": {"GET": PUBLIC, "POST": PUBLIC},
    "accounts:logout": {"POST": PUBLIC},
    # One's own account: every signed-in user, whatever the role.
    "accounts:password_change": {"GET": ALL_ROLES, "POST": ALL_ROLES},
    "accounts:otp_verify": {"GET": ALL_ROLES, "POST": ALL_ROLES},
    "accounts:otp_enrol": {"GET": ALL_ROLES, "POST": ALL_ROLES},
    # The administrator's pages (issue 9): staff accounts and the login history only; the
    # administrator reads no beneficiary's data (no person, decision or candidate page).
    "accounts:user_list": {"GET": _ADMIN},
    "accounts:user_create": {"GET": _ADMIN, "POST": _ADMIN},
    "accounts:login_history": {"GET": _ADMIN},
    "accounts:user_detail": {"GET": _ADMIN, "POST": _ADMIN},
    "accounts:user_deactivate": {"POST": _ADMIN},
    "accounts:user_reactivate": {"POST": _ADMIN},
    "accounts:user_unlock": {"POST": _ADMIN},
    "accounts:user_password_reset": {"POST": _ADMIN},
    "accounts:user_second_factor_reset": {"POST": _ADMIN},
    "audit:entry_list": {"GET": frozenset({AUDITOR})},
    "audit:chain_check": {"GET": frozenset({AUDITOR})},
    "audit:entry_export": {"GET": frozenset({AUDITOR})},
    # --- registry (Pasal 7 ayat (1)) ------------------------------------------------------
    "registry:year_list": {"GET": ALL_ROLES},
    "registry:year_create": {"GET": _PENDATAAN, "POST": _PENDATAAN},
    "registry:year_detail": {"GET": ALL_ROLES},
    "registry:import_create": {"GET": _PENDATAAN, "POST": _PENDATAAN},
    # The PKS with BPJS (Pasal 6 ayat (4)-(5)): recorded by Disnakertrans, read on the year page.
    "registry:cooperation_agreement_record": {"POST": _KEPESERTAAN},
    "registry:import_detail": {"GET": IMPORT_READERS},
    "registry:import_progress": {"GET": IMPORT_READERS},
    "registry:import_problems": {"GET": IMPORT_READERS},
    "registry:import_problems_xlsx": {"GET": IMPORT_READERS},
    "registry:import_overlap_confirm": {"POST": _PENDATAAN},
    "registry:import_retry": {"POST": _PENDATAAN},
    "registry:import_cancel": {"POST": _PENDATAAN},
    # Issue 13: duplicates within one extract, decided by Dinas Sosial's operator.
    "registry:duplicate_check_create": {"POST": _PENDATAAN},
    "registry:duplicate_pair_decide": {"POST": _PENDATAAN},
    "registry:duplicate_pair_reveal": {"POST": _PENDATAAN},
    # --- screening (Pasal 5, 7 ayat (2)) --------------------------------------------------
    "screening:run_start": {"POST": _PENDATAAN},
    "screening:run_detail": {"GET": RUN_READERS},
    "screening:run_progress": {"GET": RUN_READERS},
    "screening:run_retry": {"POST": _PENDATAAN},
    "screening:run_cancel": {"POST": _PENDATAAN},
    "screening:decision_list": {"GET": PERSON_READERS, "POST": PERSON_READERS},
    "screening:decision_export": {"GET": PERSON_READERS},
    "screening:decision_desa_options": {"GET": PERSON_READERS},
    "screening:person_detail": {"GET": PERSON_READERS},
    "screening:reveal_nik": {"POST": NIK_REVEALERS},
    # issue 15: what changes under another policy (rows with masked NIK: PERSON_READERS only)
    "screening:policy_compare": {"GET": RUN_READERS, "POST": RUN_READERS},
    # --- candidates (Pasal 7 ayat (3)) ----------------------------------------------------
    "participants:proposal_detail": {"GET": PROPOSAL_READERS},
    "participants:proposal_create": {"POST": _PENDATAAN},
    "participants:proposal_approve": {"POST": _PENDATAAN},
    "participants:berita_acara_request": {"POST": _PENDATAAN},
    "participants:candidate_detail": {"GET": PERSON_READERS},
    "participants:candidate_exclude": {"POST": _PENDATAAN},
    # Replacement rounds within the remaining pagu (issue 12, Pasal 6 ayat (2)): the team
    # reads the arithmetic (masked NIKs only); Dinas Sosial proposes from the waiting list.
    "participants:replacement_round": {"GET": PROPOSAL_READERS},
    # Issue 9: the year's charts and their tables (aggregates, no person).
    "participants:year_charts": {"GET": RUN_READERS},
    "participants:year_chart_csv": {"GET": RUN_READERS},
    "participants:year_chart_xlsx": {"GET": RUN_READERS},
    "participants:replacement_propose": {"POST": _PENDATAAN},
    # --- verification by Disdukcapil (Pasal 7 ayat (3)) -----------------------------------
    "verification:batch_list": {"GET": BATCH_READERS},
    # Who is sent is part of the proposal: only Dinas Sosial starts a round (not Disdukcapil).
    "verification:batch_create": {"POST": _PENDATAAN},
    "verification:batch_detail": {"GET": BATCH_READERS},
    "verification:batch_request_file": {"GET": NIK_REVEALERS},
    "verification:batch_answers_upload": {"POST": _DUKCAPIL},
    "verification:answer_import_detail": {"GET": BATCH_READERS},
    "verification:answer_import_progress": {"GET": BATCH_READERS},
    "verification:answer_import_errors": {"GET": _DUKCAPIL},
    "verification:item_record": {"GET": _DUKCAPIL, "POST": _DUKCAPIL},
    # --- decrees (Pasal 7 ayat (4), 10) ---------------------------------------------------
    "decrees:year_detail": {"GET": DECREE_READERS},
    "decrees:team_member_add": {"POST": _KEPESERTAAN},
    "decrees:decree_draft": {"POST": _KEPESERTAAN},
    # The amending participants decree: its lists carry names and masked NIKs, as the
    # published annex does, so its page is for the decree's readers.
    "decrees:decree_amendment_draft": {"POST": _KEPESERTAAN},
    "decrees:decree_detail": {"GET": DECREE_READERS},
    "decrees:decree_record_signed": {"POST": _KEPESERTAAN},
    "decrees:decree_scan": {"GET": DECREE_READERS},
    # --- registration with BPJS (Pasal 8 ayat (1)-(3)) -----------------------------------
    "enrollment:batch_year": {"GET": REGISTRATION_READERS},
    "enrollment:batch_create": {"POST": _KEPESERTAAN},
    "enrollment:batch_detail": {"GET": REGISTRATION_READERS},
    # Full NIKs for BPJS: only Disnakertrans, which sends the file (audited download).
    "enrollment:batch_request_file": {"GET": _KEPESERTAAN},
    "enrollment:batch_answer_upload": {"POST": REGISTRATION_ANSWERERS},
    "enrollment:batch_answer_detail": {"GET": REGISTRATION_READERS},
    "enrollment:batch_answer_progress": {"GET": REGISTRATION_READERS},
    # Four eyes: a second operator kepesertaan, never the uploader (the service checks).
    "enrollment:batch_answer_apply": {"POST": _KEPESERTAAN},
    "enrollment:batch_answer_discard": {"POST": REGISTRATION_ANSWERERS},
    "enrollment:profile_list": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    "enrollment:profile_edit": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    # --- cards (Pasal 8 ayat (4)) -------------------------------------------------------
    # BPJS issues and distributes the cards; Disnakertrans chases them; the auditor reads.
    "enrollment:card_list": {"GET": CARD_READERS},
    "enrollment:cards_receive": {"POST": CARD_RECORDERS},
    "enrollment:card_deliver": {"GET": CARD_RECORDERS, "POST": CARD_RECORDERS},
    "enrollment:card_receipt": {"GET": CARD_RECORDERS},
    # The register for Disnakertrans (Pasal 8 ayat (5)): its own operator downloads it.
    "enrollment:register_download": {"GET": _KEPESERTAAN},
    # Participants from before Payung, moved in from the regency's roster (Disnakertrans).
    "enrollment:roster_upload": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    # --- bills, realisation and the treasurer's tasks (Pasal 9, 13) -----------------------
    # Totals only (no person): the bendahara issues, the auditor reads.
    "contributions:year_detail": {"GET": CONTRIBUTION_READERS},
    "contributions:bill_issue": {"POST": _BENDAHARA},
    "contributions:bill_detail": {"GET": CONTRIBUTION_READERS},
    "contributions:bill_letter_request": {"POST": _BENDAHARA},
    "contributions:bill_letter_download": {"GET": CONTRIBUTION_READERS},
    # --- SP2D payments and reconciliation with BPJS (Pasal 9) -----------------------------
    # The bendahara records an SP2D (POST) and a second bendahara confirms it (four eyes).
    "contributions:bill_payments": {"GET": CONTRIBUTION_READERS, "POST": _BENDAHARA},
    "contributions:payment_confirm": {"POST": _BENDAHARA},
    # ... or refuses it (or its recorder withdraws it) while it is not yet confirmed.
    "contributions:payment_reject": {"POST": _BENDAHARA},
    "contributions:payment_list": {"GET": CONTRIBUTION_READERS},
    "contributions:payment_import": {"POST": _BENDAHARA},
    "contributions:reconciliation_list": {"GET": CONTRIBUTION_READERS},
    "contributions:reconciliation_create": {"POST": _BENDAHARA},
    # The invoice is compared in the background: its page and progress, retry and cancel.
    "contributions:reconciliation_import_detail": {"GET": CONTRIBUTION_READERS},
    "contributions:reconciliation_import_progress": {"GET": CONTRIBUTION_READERS},
    "contributions:reconciliation_import_errors": {"GET": _BENDAHARA},
    "contributions:reconciliation_import_retry": {"POST": _BENDAHARA},
    "contributions:reconciliation_import_cancel": {"POST": _BENDAHARA},
    "contributions:reconciliation_detail": {"GET": CONTRIBUTION_READERS},
    "contributions:reconciliation_decide": {"POST": _BENDAHARA},
    "contributions:reconciliation_close": {"POST": _BENDAHARA},
    "contributions:reconciliation_document": {"GET": CONTRIBUTION_READERS},
    # --- other funders' lists (Pasal 5 ayat (2) huruf f, issue 13) ------------------------
    "linkage:year_lists": {"GET": LIST_READERS},
    "linkage:list_upload": {"POST": LIST_WORKERS},
    "linkage:list_detail": {"GET": LIST_READERS},
    "linkage:list_progress": {"GET": LIST_READERS},
    "linkage:list_retry": {"POST": LIST_WORKERS},
    "linkage:list_cancel": {"POST": LIST_WORKERS},
    "linkage:match_decide": {"POST": LIST_WORKERS},
    # --- the next programme year: carry-over (issue 12) ------------------------------------
    # Last year's participants who no longer qualify, by name and masked NIK: the readers of
    # decisions per person; ending them and continuing the others' cover is Disnakertrans's.
    "renewal:year_detail": {"GET": PERSON_READERS},
    "renewal:not_qualifying_end": {"POST": _KEPESERTAAN},
    "renewal:continuity_activate": {"POST": _KEPESERTAAN},
    # --- ends of participation and claims (issue 12) -------------------------------------
    "ends:participant_end": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    "ends:year_ends": {"GET": END_READERS},
    "ends:end_import_upload": {"GET": END_UPLOADERS, "POST": END_UPLOADERS},
    "ends:end_import_detail": {"GET": END_READERS | END_UPLOADERS},
    "ends:end_import_progress": {"GET": END_READERS | END_UPLOADERS},
    "ends:end_import_retry": {"POST": _KEPESERTAAN},
    "ends:end_import_cancel": {"POST": _KEPESERTAAN},
    "ends:end_import_apply": {"POST": _KEPESERTAAN},
    "ends:end_import_unmatched": {"GET": _KEPESERTAAN},
    # --- appeals (sanggahan, issue 12) -----------------------------------------------------
    # Dinas Sosial records and answers (a second operator answers: the service checks); the
    # appeal's page shows the corrected values and criteria, for the readers of decisions per
    # person who follow appeals; the year's list (names, masked NIKs, dates) for the team too.
    "appeals:appeal_create": {"GET": _PENDATAAN, "POST": _PENDATAAN},
    "appeals:appeal_detail": {"GET": frozenset({OPERATOR_PENDATAAN, AUDITOR})},
    "appeals:appeal_answer": {"POST": _PENDATAAN},
    "appeals:year_list": {"GET": frozenset({OPERATOR_PENDATAAN, ANGGOTA_TIM, AUDITOR})},
    # --- one person across the stages (issue 8) ------------------------------------------
    # The header search and the person page: whoever may read decisions per person.
    "people:person_search": {"POST": PERSON_READERS},
    "people:person_list": {"GET": PERSON_READERS},
    "people:person_detail": {"GET": PERSON_READERS},
    # The full KPJ, by the NIK's rule: one audited reveal at a time.
    "people:reveal_kpj": {"POST": NIK_REVEALERS},
    # The data-subject record (UU 27/2022): the PDF of everything held on the person, for
    # the role that exports personal data on a person's request (audited, with a purpose).
    "people:person_record": {"POST": _PENDATAAN},
    # --- the team's reports (issue 14, Pasal 12 ayat (3), Pasal 10 ayat (2) huruf e-f) -------
    # Aggregates only: the team writes and uploads the signed copy, the auditor reads.
    "monitoring:report_year": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "monitoring:report_half": {
        "GET": frozenset({ANGGOTA_TIM, AUDITOR}),
        "POST": frozenset({ANGGOTA_TIM}),
    },
    "monitoring:report_upload_signed": {"POST": frozenset({ANGGOTA_TIM})},
    "monitoring:report_signed": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "monitoring:report_document": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "monitoring:report_minutes": {"POST": frozenset({ANGGOTA_TIM})},
    "monitoring:report_recap": {"POST": frozenset({ANGGOTA_TIM})},
    # Monitoring figures (issue 14, Pasal 10 ayat (2) huruf e-g): aggregates for the team and
    # the auditor; the flagged claims by person only for the auditor (view_person_decision).
    "monitoring:index": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "monitoring:year": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "monitoring:chart_csv": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "monitoring:chart_xlsx": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    # --- the budget simulator (issue 14, Pasal 6 ayat (2)) ------------------------------------
    # Aggregates only (counts per kecamatan and priority, rupiah): the team (BPKD, Bapperida)
    # and the auditor run, read and download simulations; running one is audited.
    "planning:simulation_home": {
        "GET": frozenset({ANGGOTA_TIM, AUDITOR}),
        "POST": frozenset({ANGGOTA_TIM, AUDITOR}),
    },
    "planning:simulation_detail": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "planning:simulation_xlsx": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "planning:simulation_chart_csv": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    "planning:simulation_chart_xlsx": {"GET": frozenset({ANGGOTA_TIM, AUDITOR})},
    # --- SOPs of the agencies (issue 15, Pekalongan minutes item 5) ------------------------
    # No personal data in them: everyone who sees the year reads and downloads them; the
    # roles that run the programme (Bagian Hukum through the team) have them made.
    "procedures:year_sops": {"GET": ALL_ROLES},
    "procedures:sop_generate": {
        "POST": frozenset({OPERATOR_PENDATAAN, OPERATOR_KEPESERTAAN, ANGGOTA_TIM})
    },
    "procedures:sop_download": {"GET": ALL_ROLES},
    # --- employer supervision and PP 86/2013 sanctions (issue 15, Pasal 12 ayat (1)) -------
    # Businesses and counts of workers, no person: Disnakertrans keeps the register, records
    # the visits and issues the regency's letters; BPJS records its warnings, fine and request;
    # the team and the auditor read.
    "supervision:year_detail": {"GET": SUPERVISION_READERS},
    "supervision:report_create": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    "supervision:employer_list": {"GET": SUPERVISION_READERS},
    "supervision:employer_create": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    "supervision:employer_detail": {"GET": SUPERVISION_READERS},
    "supervision:employer_edit": {"GET": _KEPESERTAAN, "POST": _KEPESERTAAN},
    "supervision:report_detail": {"GET": SUPERVISION_READERS},
    "supervision:case_open": {"POST": _KEPESERTAAN},
    "supervision:case_detail": {"GET": SUPERVISION_READERS},
    "supervision:step_bpjs": {"POST": frozenset({PETUGAS_BPJS})},
    "supervision:step_letter": {"POST": _KEPESERTAAN},
    # --- documents ------------------------------------------------------------------------
    "documents:document_download": {"GET": DOCUMENT_READERS},
    "documents:document_progress": {"GET": DOCUMENT_READERS},
    # A background export (core.export_kinds) is its kind's: the fixture's is the audit
    # trail's, so its auditor; another holder of the kind gets 404, not someone's filters.
    "documents:export_detail": {"GET": frozenset({AUDITOR})},
    "documents:export_progress": {"GET": frozenset({AUDITOR})},
    "documents:export_download": {"GET": frozenset({AUDITOR})},
}


def access_roles(*, url_name: str, method: str) -> Roles | None:
    """The roles that may use ``url_name`` with ``method``; None when the URL is not in the
    table at all (an undeclared page), an empty set when the method is not served."""
    entry = ACCESS.get(url_name)
    if entry is None:
        return None
    return entry.get(method.upper(), frozenset())


def access_unknown_roles() -> set[str]:
    """Role codes the table names that ``roles.py`` does not define (a typo, a removed role)."""
    named = {code for entry in ACCESS.values() for roles in entry.values() for code in roles}
    return named - set(BY_CODE) - {ANONYMOUS}
