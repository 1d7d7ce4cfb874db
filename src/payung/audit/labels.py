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
    "export_job": _("Pembuatan berkas ekspor"),
}

#: Action code -> what the auditor reads. Keep sorted by code within each group.
AUDIT_ACTIONS: Final[dict[str, Promise | str]] = {
    # accounts
    "user_login": _("Masuk ke aplikasi"),
    "user_login_failed": _("Gagal masuk ke aplikasi"),
    "user_logout": _("Keluar dari aplikasi"),
    "user_password_change": _("Kata sandi diganti"),
    # accounts: the administrator's work (issue 9)
    "user_register": _("Akun pengguna dibuat oleh administrator"),
    "user_update": _("Peran, instansi atau nama pengguna diubah"),
    "user_deactivate": _("Akun pengguna dinonaktifkan"),
    "user_reactivate": _("Akun pengguna diaktifkan kembali"),
    "user_password_reset": _("Kata sandi diatur ulang oleh administrator"),
    "user_unlock": _("Kunci masuk akun dibuka oleh administrator"),
    "user_second_factor_reset": _("Verifikasi dua langkah diatur ulang oleh administrator"),
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
    # monitoring (issue 14: the team's reports)
    "monitoring_minutes_create": _("Notulen monitoring dan evaluasi dibuat"),
    "monthly_recap_create": _("Rekap bulanan untuk Disnakertrans dibuat"),
    "semester_report_create": _("Laporan semester kepada Bupati dibuat (versi baru)"),
    "semester_report_signed_download": _("Laporan semester bertanda tangan diunduh"),
    "semester_report_signed_upload": _("Laporan semester bertanda tangan diunggah"),
    # procedures (issue 15: SOPs generated from the workflow)
    "sop_generate": _("Dokumen SOP perangkat daerah dibuat"),
    # planning (issue 14: the budget simulator, Pasal 6 ayat (2))
    "simulation_create": _("Simulasi anggaran dijalankan"),
    # people
    "person_view": _("Halaman orang dilihat"),
    "person_export": _("Data orang diunduh"),
    "person_record_pdf": _("Catatan data pribadi seseorang dicetak (PDF)"),
    "kpj_view": _("Nomor KPJ lengkap ditampilkan"),
    "retention_run": _("Penghapusan data lewat masa simpan dijalankan"),
    # employer supervision and sanctions (issue 15: Pasal 12 ayat (1), PP 86/2013)
    "employer_create": _("Pemberi kerja dicatat"),
    "employer_update": _("Data pemberi kerja diubah"),
    "supervision_report_record": _("Laporan pengawasan pemberi kerja dicatat"),
    "sanction_case_open": _("Kasus sanksi pemberi kerja dibuka"),
    "sanction_step_record": _("Langkah sanksi pemberi kerja dicatat"),
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
    "attempts": _("Jumlah catatan percobaan masuk"),
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
    "devices": _("Jumlah perangkat"),
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
    "role": _("Peran"),
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

#: Detail keys written by services beside the common ones above (issue 9: no raw JSON key
#: reaches the auditor). ``tests/test_labels.py`` checks every key a service writes is here.
DETAIL_LABELS.update(
    {
        "activated": _("Jumlah diaktifkan"),
        "additions": _("Jumlah tambahan"),
        "already_received": _("Sudah diterima sebelumnya"),
        "amends": _("Mengubah keputusan"),
        "amends_number": _("Nomor keputusan yang diubah"),
        "answer": _("Jawaban"),
        "applied": _("Diterapkan"),
        "automatic": _("Otomatis"),
        "branch_office": _("Kantor cabang"),
        "budgets": _("Pagu per sumber dana"),
        "by_state": _("Jumlah per keadaan"),
        "by_status": _("Jumlah per hasil"),
        "carried_from": _("Melanjutkan tahun program"),
        "channel": _("Saluran"),
        "claims": _("Jumlah klaim"),
        "columns": _("Jumlah kolom"),
        "confidential": _("Rahasia"),
        "corrected_fields": _("Data yang dikoreksi"),
        "correction_lines": _("Jumlah baris koreksi"),
        "correction_months": _("Bulan koreksi"),
        "count_after": _("Jumlah sesudahnya"),
        "cover_start": _("Mulai kepesertaan"),
        "coverage_months": _("Jumlah bulan kepesertaan"),
        "coverage_period": _("Masa kepesertaan"),
        "decision_id": _("Nomor keputusan penyaringan"),
        "decisions": _("Jumlah keputusan penyaringan"),
        "decreed": _("Jumlah ditetapkan"),
        "default": _("Bawaan"),
        "digest": _("Sidik isi"),
        "ditolak_pemeriksaan_ulang": _("Ditolak pada pemeriksaan ulang"),
        "diusulkan": _("Diusulkan"),
        "dtsen_import": _("Impor DTSEN"),
        "effect": _("Akibat"),
        "failed": _("Kriteria yang tidak terpenuhi"),
        "files": _("Jumlah berkas"),
        "first_month": _("Bulan pertama"),
        "funder": _("Sumber dana lain"),
        "id": _("Nomor"),
        "invalid_by_code": _("Baris tidak sah per masalah"),
        "kept": _("Disimpan"),
        "kind": _("Jenis"),
        "kode_desa": _("Kode desa"),
        "kpj_length": _("Panjang KPJ"),
        "last_month": _("Bulan terakhir"),
        "lease": _("Masa pinjam proses"),
        "lines": _("Jumlah baris"),
        "list_date": _("Tanggal daftar"),
        "mapping": _("Pemetaan kolom"),
        "of": _("Dari"),
        "other_list": _("Daftar sumber dana lain"),
        "outcome": _("Hasil"),
        "overlap": _("Tumpang tindih"),
        "overlap_imports": _("Impor yang tumpang tindih"),
        "pair": _("Pasangan"),
        "pairs": _("Jumlah pasangan"),
        "partial": _("Sebagian"),
        "policy_id": _("Kebijakan"),
        "policy_sha256": _("Sidik kebijakan (SHA-256)"),
        "position": _("Urutan"),
        "profile": _("Profil berkas"),
        "proposal": _("Usulan"),
        "proposed": _("Jumlah diusulkan"),
        "proposed_by": _("Diusulkan oleh"),
        "rank": _("Peringkat"),
        "reactivated": _("Diaktifkan kembali"),
        "recorded": _("Dicatat"),
        "recorded_by": _("Dicatat oleh"),
        "refusal": _("Penolakan yang disanggah"),
        "region_code": _("Kode wilayah"),
        "registered": _("Jumlah terdaftar"),
        "registration_batch": _("Tahap pendaftaran"),
        "rejected_after_rescreen": _("Ditolak sesudah penyaringan ulang"),
        "removals": _("Jumlah dikeluarkan"),
        "removed": _("Dikeluarkan"),
        "replacements": _("Jumlah pengganti"),
        "result": _("Hasil"),
        "retention_years": _("Masa simpan (tahun)"),
        "review": _("Perlu ditinjau"),
        "run_id": _("Nomor penyaringan"),
        "scheduled": _("Dijadwalkan"),
        "scope": _("Cakupan"),
        "screening_run": _("Penyaringan"),
        "settled": _("Lunas"),
        "skipped": _("Dilewati"),
        "status_was": _("Keadaan sebelumnya"),
        "sumber": _("Sumber"),
        "tab": _("Tab"),
        "uploaded_by": _("Diunggah oleh"),
        "valid": _("Jumlah sah"),
        "waitlisted": _("Jumlah daftar tunggu"),
        "years": _("Tahun"),
    }
)

#: Code values a detail may hold (a state, a status, a reason, a purpose), in words. The audit
#: app is the first layer and imports no later app, so the words are repeated here; the test
#: ``test_value_labels_match_the_models`` keeps them equal to the models' choices.
VALUE_LABELS: Final[dict[str, Promise]] = {
    # participants.CandidateState
    "screened": _("Tersaring"),
    "proposed": _("Diusulkan"),
    "waitlisted": _("Daftar tunggu"),
    "verified": _("Terverifikasi"),
    "rejected": _("Ditolak"),
    "decreed": _("Ditetapkan"),
    "registered": _("Terdaftar di BPJS"),
    "active": _("Aktif"),
    "ended": _("Berakhir"),
    # participants.EndReason
    "meninggal": _("Meninggal dunia"),
    "pindah": _("Pindah domisili"),
    "dana_ganda": _("Iuran juga dibayar sumber dana lain"),
    "tidak_memenuhi_syarat": _("Tidak lagi memenuhi syarat"),
    "mengundurkan_diri": _("Mengundurkan diri"),
    "ditolak_bpjs": _("Pendaftaran ditolak BPJS Ketenagakerjaan"),
    # screening.labels.STATUS_LABELS
    "selected": _("Terpilih (dalam pagu)"),
    "eligible": _("Memenuhi syarat"),
    "ineligible": _("Tidak memenuhi syarat"),
    "invalid": _("Data tidak valid"),
    # accounts.roles: a role given to a user (the group's name is the role's code)
    "operator_pendataan": _("Operator Pendataan"),
    "verifikator": _("Verifikator Disdukcapil"),
    "operator_kepesertaan": _("Operator Kepesertaan"),
    "bendahara": _("Bendahara"),
    "petugas_bpjs": _("Petugas BPJS Ketenagakerjaan"),
    "anggota_tim": _("Anggota Tim"),
    "auditor": _("Auditor Inspektorat"),
    "admin": _("Administrator Sistem"),
    # linkage.Funder: who pays for the people on another funder's list (Pasal 5(2)f)
    "apbn": _("APBN (pemerintah pusat)"),
    "apbd_provinsi": _("APBD provinsi"),
    "apbd_kabupaten": _("APBD kabupaten (program lain)"),
    "apbdes": _("APBDes (dana desa)"),
    "lainnya": _("Sumber lain"),
    # linkage.MatchEffect ("ended" reads as the state above)
    "excluded": _("Dikeluarkan dari usulan (Pasal 5 ayat (2) huruf f)"),
    "awaiting": _("Akan dikeluarkan saat usulan calon dibuat"),
    "not_candidate": _("Tidak berpengaruh: orang ini bukan calon peserta"),
    "already_out": _("Tidak berpengaruh: sudah ditolak atau berakhir"),
    # why personal data left the application (verification, enrollment, people)
    "verifikasi_disdukcapil": _("Verifikasi dan validasi oleh Disdukcapil"),
    "pendaftaran_bpjs": _("Pendaftaran ke BPJS Ketenagakerjaan"),
    "permintaan_ybs": _("Permintaan yang bersangkutan"),
    "sanggahan": _("Bahan sanggahan yang bersangkutan"),
    "kuasa": _("Permintaan keluarga atau kuasa yang bersangkutan"),
}


def value_label(value: str) -> str | None:
    """A code value in words, or ``None`` when the value is not one of the known codes."""
    label = VALUE_LABELS.get(value)
    return None if label is None else str(label)


#: Targets whose ``str()`` holds no personal data (a username, a file or list name, a
#: number); any other target is shown as its kind and number so no name or NIK can leak.
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
