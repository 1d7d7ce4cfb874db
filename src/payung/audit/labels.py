"""The audit trail in plain Indonesian: one label for every action code and common detail key.

The Inspektorat's auditor reads the trail (Pasal 10 ayat (3) huruf a) and must not have to
know that ``list_match_decide`` means a match with another funder's list was decided. The
codes stay in the database (the MAC covers them) and in a tooltip and an export column for
whoever needs them; the page shows these words. ``tests/test_labels.py`` reads the source for
every action the code writes, so a new action cannot ship without its label here.
"""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Background jobs write ``<job_audit_name>_<suffix>`` (payung.core.jobs): the suffixes.
JOB_SUFFIXES: Final[dict[str, Promise]] = {
    "retry": _("diulang"),
    "cancel": _("dibatalkan"),
    "reap": _("dihentikan karena proses pekerja mati"),
}

#: What each background job is called, by its ``job_audit_name``.
JOB_NAMES: Final[dict[str, Promise]] = {
    "dtsen_import": _("Impor DTSEN"),
    "duplicate_check": _("Pemeriksaan data ganda"),
    "screening_run": _("Penyaringan"),
    "other_list": _("Pencocokan daftar sumber dana lain"),
    "verification_answers": _("Pembacaan jawaban Disdukcapil"),
    "registration_answer": _("Pembacaan jawaban pendaftaran BPJS"),
    "reconciliation_import": _("Pembacaan tagihan BPJS"),
    "end_import": _("Pembacaan data kematian, pindah atau klaim"),
    "document": _("Pembuatan dokumen"),
}

#: Action code -> what the auditor reads. Keep sorted by code within each group.
AUDIT_ACTIONS: Final[dict[str, Promise | str]] = {
    # accounts
    "user_login": _("Masuk ke aplikasi"),
    "user_login_failed": _("Gagal masuk ke aplikasi"),
    "user_logout": _("Keluar dari aplikasi"),
    "user_password_change": _("Kata sandi diganti"),
    "otp_device_enrol": _("Perangkat verifikasi dua langkah didaftarkan"),
    "otp_verify_failed": _("Kode verifikasi dua langkah salah"),
    "demo_users_create": _("Pengguna demo dibuat"),
    # audit
    "audit_anchor": _("Jangkar jejak audit dibuat"),
    "audit_export": _("Jejak audit diunduh"),
    # programmes
    "programme_year_create": _("Tahun program dibuat"),
    "cooperation_agreement_record": _("Perjanjian kerja sama (PKS) dicatat"),
    # registry
    "column_mapping_profile_create": _("Pemetaan kolom disimpan"),
    "dtsen_import_create": _("Impor DTSEN dimulai"),
    "dtsen_import_fail": _("Impor DTSEN gagal"),
    "dtsen_import_finish": _("Impor DTSEN selesai"),
    "dtsen_import_overlap_confirm": _("Impor DTSEN yang tumpang tindih dikonfirmasi"),
    "duplicate_check_create": _("Pemeriksaan data ganda dimulai"),
    "duplicate_check_fail": _("Pemeriksaan data ganda gagal"),
    "duplicate_check_finish": _("Pemeriksaan data ganda selesai"),
    "duplicate_pair_decide": _("Pasangan data ganda diputuskan"),
    "duplicate_pairs_view": _("Daftar pasangan data ganda dilihat"),
    "nik_view": _("NIK lengkap ditampilkan"),
    # screening
    "screening_run_start": _("Penyaringan dimulai"),
    "screening_run_finish": _("Penyaringan selesai"),
    "screening_run_fail": _("Penyaringan gagal"),
    "export_personal_data": _("Data pribadi diunduh"),
    # participants
    "proposal_create": _("Usulan calon peserta dibuat"),
    "proposal_approve": _("Usulan calon peserta disetujui"),
    "candidate_exclude": _("Calon peserta dikeluarkan"),
    "replacement_round_propose": _("Putaran pengganti diusulkan dari sisa pagu"),
    "participant_register": _("Peserta didaftarkan"),
    "participant_activate": _("Kepesertaan diaktifkan"),
    "participant_end": _("Kepesertaan diakhiri"),
    # linkage
    "other_list_upload": _("Daftar sumber dana lain diunggah"),
    "other_list_linked": _("Daftar sumber dana lain dicocokkan"),
    "list_match_decide": _("Kecocokan dengan daftar lain diputuskan"),
    "list_matches_view": _("Kecocokan dengan daftar lain dilihat"),
    "proposal_matches_apply": _("Hasil pencocokan diterapkan pada usulan"),
    # verification
    "verification_batch_create": _("Tahap verifikasi Disdukcapil dibuat"),
    "verification_answers_upload": _("Jawaban Disdukcapil diunggah"),
    "verification_answers_refused": _("Jawaban Disdukcapil ditolak"),
    "verification_answers": _("Jawaban Disdukcapil diterapkan"),
    "verification_answer_errors_download": _("Daftar kesalahan jawaban Disdukcapil diunduh"),
    # decrees
    "team_member_add": _("Anggota tim ditambahkan"),
    "decree_draft": _("Rancangan keputusan dibuat"),
    "decree_record_signed": _("Keputusan yang ditandatangani dicatat"),
    "decree_removal": _("Peserta dikeluarkan melalui keputusan"),
    "decree_scan_download": _("Pindaian keputusan diunduh"),
    # enrollment
    "registration_profile_create": _("Profil pendaftaran BPJS dibuat"),
    "registration_profile_update": _("Profil pendaftaran BPJS diubah"),
    "registration_batch_create": _("Tahap pendaftaran BPJS dibuat"),
    "registration_answer_upload": _("Jawaban pendaftaran BPJS diunggah"),
    "registration_answer_checked": _("Jawaban pendaftaran BPJS diperiksa"),
    "registration_answer_refused": _("Jawaban pendaftaran BPJS ditolak"),
    "registration_answer_apply": _("Jawaban pendaftaran BPJS diterapkan"),
    "registration_answer_confirm": _("Jawaban pendaftaran BPJS dikonfirmasi"),
    "registration_answer_discard": _("Jawaban pendaftaran BPJS dibuang"),
    "registration_activate_due": _("Kepesertaan yang jatuh tempo diaktifkan"),
    "register_export": _("Daftar peserta diunduh"),
    "roster_import": _("Data peserta lama diimpor"),
    "cards_receive_batch": _("Kartu peserta diterima dari BPJS"),
    "card_deliver": _("Kartu peserta diserahkan"),
    "card_receipt_download": _("Tanda terima kartu diunduh"),
    # contributions
    "bill_issue": _("Tagihan iuran diterbitkan"),
    "payment_record": _("Pembayaran (SP2D) dicatat"),
    "payment_confirm": _("Pembayaran dikonfirmasi"),
    "payment_reject": _("Pembayaran ditolak"),
    "payment_withdraw": _("Pembayaran ditarik kembali"),
    "payments_import": _("Pembayaran diimpor"),
    "reconciliation_create": _("Rekonsiliasi iuran dibuat"),
    "reconciliation_decide": _("Selisih rekonsiliasi diputuskan"),
    "reconciliation_close": _("Rekonsiliasi iuran ditutup"),
    "reconciliation_import_upload": _("Tagihan BPJS diunggah"),
    "reconciliation_import_refused": _("Tagihan BPJS ditolak"),
    "reconciliation_import_errors_download": _("Daftar kesalahan tagihan BPJS diunduh"),
    "document_download": _("Dokumen diunduh"),
    # ends (issue 12)
    "end_import_upload": _("Data kematian, pindah atau klaim diunggah"),
    "end_import_refused": _("Data kematian, pindah atau klaim ditolak"),
    "end_import_apply": _("Data kematian, pindah atau klaim diterapkan"),
    "end_import_unmatched_download": _(
        "Baris tidak cocok data kematian, pindah atau klaim diunduh"
    ),
    # appeals (issue 12: sanggahan)
    "appeal_answer": _("Sanggahan dijawab"),
    "appeal_record": _("Sanggahan dicatat dan disaring ulang"),
    # renewal (issue 12: the next programme year)
    "renewal_carried_link": _("Calon peserta lanjutan dikaitkan dengan tahun sebelumnya"),
    "renewal_not_qualifying_end": _(
        "Peserta tahun sebelumnya yang tidak lagi memenuhi syarat diakhiri"
    ),
    "renewal_continuity_activate": _("Kepesertaan peserta lanjutan dilanjutkan"),
    # people
    "person_view": _("Halaman orang dilihat"),
    "person_export": _("Data orang diunduh"),
    "person_record_pdf": _("Catatan data pribadi seseorang dicetak (PDF)"),
    "kpj_view": _("Nomor KPJ lengkap ditampilkan"),
    "retention_run": _("Penghapusan data lewat masa simpan dijalankan"),
}
AUDIT_ACTIONS.update(
    {
        f"{job}_{suffix}": f"{name} {verb}"
        for job, name in JOB_NAMES.items()
        for suffix, verb in JOB_SUFFIXES.items()
    }
)


def action_label(*, code: str) -> str:
    """The Indonesian words for ``code``; the code itself only for an action nobody labelled
    (an entry written by an older or newer version), so the page never shows nothing."""
    label = AUDIT_ACTIONS.get(code)
    return str(label) if label is not None else code


#: Detail key -> its Indonesian name, for the keys most entries carry.
DETAIL_LABELS: Final[dict[str, Promise]] = {
    "agency": _("Instansi"),
    "amount": _("Jumlah uang"),
    "as_of": _("Per tanggal"),
    "batch": _("Tahap"),
    "batch_number": _("Nomor tahap"),
    "bill": _("Tagihan"),
    "billing_period": _("Periode tagihan"),
    "budget": _("Pagu"),
    "candidate": _("Calon"),
    "candidates": _("Jumlah calon"),
    "carried_from_year": _("Melanjutkan peserta tahun"),
    "continued": _("Jumlah peserta dilanjutkan"),
    "ended": _("Jumlah diakhiri"),
    "linked": _("Jumlah calon lanjutan"),
    "previous_participants": _("Jumlah peserta tahun sebelumnya"),
    "count": _("Jumlah"),
    "counts": _("Jumlah"),
    "coverage_start": _("Awal kepesertaan"),
    "date": _("Tanggal"),
    "decision": _("Keputusan"),
    "decree": _("Keputusan"),
    "decree_number": _("Nomor keputusan"),
    "delivered_on": _("Tanggal penyerahan"),
    "end_date": _("Tanggal akhir"),
    "entries": _("Jumlah entri"),
    "error": _("Kesalahan"),
    "error_code": _("Kode kesalahan"),
    "errors": _("Jumlah kesalahan"),
    "file": _("Berkas"),
    "file_name": _("Nama berkas"),
    "file_sha256": _("Sidik berkas (SHA-256)"),
    "filters": _("Saringan"),
    "format": _("Format"),
    "full_nik": _("NIK lengkap"),
    "households": _("Jumlah keluarga"),
    "invalid": _("Jumlah tidak sah"),
    "kpj_masked": _("KPJ (disamarkan)"),
    "matches": _("Jumlah kecocokan"),
    "months": _("Jumlah bulan"),
    "name": _("Nama"),
    "nik_masked": _("NIK (disamarkan)"),
    "number": _("Nomor"),
    "page": _("Halaman"),
    "participants": _("Jumlah peserta"),
    "period_end": _("Akhir periode"),
    "period_start": _("Awal periode"),
    "persons": _("Jumlah orang"),
    "policy_version": _("Versi kebijakan"),
    "programme_year": _("Tahun program"),
    "purpose": _("Keperluan"),
    "quota": _("Kuota"),
    "reason": _("Alasan"),
    "reason_code": _("Kode alasan"),
    "received_on": _("Tanggal diterima"),
    "records": _("Jumlah catatan"),
    "refused": _("Jumlah ditolak"),
    "rows": _("Jumlah baris"),
    "scan_sha256": _("Sidik pindaian (SHA-256)"),
    "sha256": _("Sidik berkas (SHA-256)"),
    "signed_on": _("Tanggal ditandatangani"),
    "size": _("Ukuran"),
    "size_bytes": _("Ukuran (bita)"),
    "source": _("Sumber"),
    "source_name": _("Nama sumber"),
    "sp2d": _("Nomor SP2D"),
    "start": _("Mulai"),
    "total": _("Total"),
    "total_cost": _("Total biaya"),
    "unmatched": _("Jumlah tidak cocok"),
    "username": _("Nama pengguna"),
    "usernames": _("Nama pengguna"),
    "year": _("Tahun"),
}

#: Targets whose ``str()`` holds no personal data (a username, a file or list name, a
#: number); any other target is shown as its kind and ``#id`` so no name or NIK can leak.
READABLE_TARGETS: Final[frozenset[str]] = frozenset(
    {
        "accounts.agency",
        "accounts.user",
        "contributions.bill",
        "contributions.reconciliationimport",
        "decrees.decree",
        "enrollment.registrationanswer",
        "enrollment.registrationbatch",
        "enrollment.registrationprofile",
        "linkage.otherlist",
        "programmes.cooperationagreement",
        "programmes.programmeyear",
        "registry.columnmappingprofile",
        "registry.dtsenimport",
        "verification.answerimport",
        "verification.verificationbatch",
    }
)
