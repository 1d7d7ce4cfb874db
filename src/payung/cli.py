"""The ``payung`` command, for operators and batch jobs.

Every failure a person can cause (a missing file, a bad date, an unknown policy) ends in one
Indonesian sentence on stderr and exit code 2, never a traceback; exit code 1 is kept for
faults of Payung itself. Commands do no work of their own: they parse arguments and call the
engine, the same functions the web application uses.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from payung.i18n import _

EXIT_OK, EXIT_BUG, EXIT_USAGE = 0, 1, 2


class UserError(Exception):
    """A problem the user can fix; the message is already Indonesian."""


# --- argument parsing in Indonesian --------------------------------------------------

_ARGPARSE_MESSAGES: list[tuple[str, str]] = [
    (r"the following arguments are required: (.*)", "argumen wajib belum diisi: {0}"),
    (r"unrecognized arguments: (.*)", "argumen tidak dikenal: {0}"),
    (r"argument (\S+): expected one argument", "{0} membutuhkan satu nilai"),
    (r"argument (\S+): expected at least one argument", "{0} membutuhkan sedikitnya satu nilai"),
    (
        r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)",
        "{0}: pilihan {1} tidak ada; pilih: {2}",
    ),
    (r"argument (\S+): (.*)", "{0}: {1}"),
]


class _Parser(argparse.ArgumentParser):
    """argparse with its error lines said in Indonesian."""

    def error(self, message: str) -> NoReturn:
        for pattern, template in _ARGPARSE_MESSAGES:
            match = re.fullmatch(pattern, message)
            if match:
                message = template.format(*match.groups())
                break
        # argparse repeats what it did not understand; a NIK typed there must not be echoed.
        message = _nik_scrub(message)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("payung: kesalahan: {message}\n").format(message=message))


def _nik_scrub(text: str) -> str:
    """``text`` with every 16-digit number masked, for messages that repeat user input."""
    from payung.domain.nik import mask

    return re.sub(r"(?<!\d)\d{16}(?!\d)", lambda m: mask(m.group()), text)


def _as_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("tanggal '{text}' tidak sah; gunakan YYYY-MM-DD, misalnya 2026-01-01").format(
                text=text
            )
        ) from None


def _as_rupiah(text: str) -> int:
    from payung.domain.money import ensure_rupiah

    try:
        value = ensure_rupiah(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if value < 0:
        raise argparse.ArgumentTypeError(_("pagu tidak boleh negatif"))
    return value


def _as_positive(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(
            _("'{text}' bukan bilangan bulat positif").format(text=text)
        )
    return int(text)


def _as_months(text: str) -> int:
    months = _as_positive(text)
    if months > 12:
        raise argparse.ArgumentTypeError(_("jumlah bulan harus 1 sampai 12"))
    return months


def _as_month(text: str) -> date:
    """``YYYY-MM`` -> the month's first day (billing periods are whole months, Pasal 9)."""
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text)
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise argparse.ArgumentTypeError(
            _("bulan '{text}' tidak sah; gunakan YYYY-MM, misalnya 2026-01").format(text=text)
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


# --- progress ------------------------------------------------------------------------


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[str], None]]:
    """A rich progress display of the phases on a terminal; silent otherwise."""
    if not enabled:
        yield lambda _label: None
        return
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as progress:
        task = progress.add_task(_("Mulai"), total=4)

        def step(label: str) -> None:
            progress.update(task, description=label, advance=1)

        yield step


# --- commands ------------------------------------------------------------------------


def _load_policy(ref: str) -> Any:
    from payung.domain.policy import PolicyError, policy_get

    try:
        return policy_get(ref)
    except PolicyError as exc:
        lines = [p.describe(exc.source) for p in exc.problems]
        raise UserError(_("Kebijakan tidak dapat dipakai:\n") + "\n".join(lines)) from None


def _read(path: Path, columns: Path | None, *, limits: Any = None) -> tuple[Any, str]:
    """The extract and its SHA-256, hashed while the file is parsed (hashlib lets go of the
    GIL). The hash is of the bytes read only if the file stays as it was stamped before the
    read: ``file_sha256`` checks when its hash is done, and the stamp is checked again once
    the parse is done too; a file replaced or rewritten meanwhile is refused."""
    from concurrent.futures import ThreadPoolExecutor

    from payung.engine import ColumnMapping, ReadError, file_sha256, file_stamp, read_extract

    stamp = None
    try:
        mapping = ColumnMapping.load(columns) if columns else None
        stamp = file_stamp(path)
        with ThreadPoolExecutor(max_workers=1) as pool:
            digest = pool.submit(file_sha256, path, stamp=stamp)
            if limits is not None:
                table = read_extract(path, mapping=mapping, limits=limits)
            else:
                table = read_extract(path, mapping=mapping)
            sha = digest.result()
    except ReadError as exc:
        raise _refusal(exc, path, stamp) from None
    if not stamp.holds(path):
        raise _changed(path)
    return table, sha


def _refusal(exc: Any, path: Path, stamp: Any) -> UserError:
    """A read's refusal; or, when the file changed since ``stamp``, that it changed: an
    export still being copied fails its parse on a row cut short, and what the operator
    must do is wait for the copy, not mend that row."""
    if stamp is None or stamp.holds(path):
        return UserError(exc.message)
    return _changed(path)


def _changed(path: Path) -> UserError:
    from payung.engine import read_error

    return UserError(read_error("file.changed", file=str(path)).message)


def cmd_screen(args: argparse.Namespace) -> int:
    """Screen an extract and write decisions.csv, decisions.parquet and summary.json."""
    from payung.engine import (
        BackendUnavailable,
        ExtractHandover,
        connect,
        decisions_write,
        screen,
        summary_build,
    )

    policy = _load_policy(args.policy)
    show = sys.stderr.isatty() and not args.quiet
    started = time.perf_counter()
    with _progress(show) as step:
        step(_("Membaca berkas"))
        # The operator's own file: not bound to an upload's 5 million rows (issue 16).
        from payung.engine import COMMAND_LINE_LIMITS

        table, sha = _read(args.input, args.columns, limits=COMMAND_LINE_LIMITS)
        # Handed over, not kept: the screening frees the rows once they are judged.
        extract = ExtractHandover(table)
        del table
        step(_("Menyaring dengan {engine}").format(engine=args.engine))
        try:
            with connect(args.engine) as backend:
                result = screen(
                    extract,
                    policy=policy,
                    as_of=args.as_of,
                    backend=backend,
                    budget=args.budget,
                    months=args.months,
                )
        except BackendUnavailable as exc:
            raise UserError(str(exc)) from None
        step(_("Menulis hasil"))
        summary = summary_build(
            result,
            policy=policy,
            as_of=args.as_of,
            input_name=args.input.name,
            input_sha256=sha,
            budget=args.budget,
            months=args.months,
        )
        decisions_write(result, summary, args.out)
    _print_summary(summary, out=args.out, seconds=time.perf_counter() - started, quiet=args.quiet)
    return EXIT_OK


def _print_summary(summary: dict[str, Any], *, out: Path, seconds: float, quiet: bool) -> None:
    if quiet:
        return
    from payung.domain.money import rupiah

    counts = summary["counts"]
    by_status = counts["by_status"]
    eligible = by_status["eligible"] + by_status["selected"] + by_status["waitlisted"]
    lines = [(_("memenuhi syarat"), eligible)]
    if summary.get("budget"):
        lines += [
            ("  " + _("terpilih (dalam pagu)"), by_status["selected"]),
            ("  " + _("daftar tunggu"), by_status["waitlisted"]),
        ]
    lines += [
        (_("tidak memenuhi syarat"), by_status["ineligible"]),
        (_("data tidak sah"), by_status["invalid"]),
    ]
    print(_("Kebijakan   : {title} (versi {version})").format(**summary["policy"]))
    print(_("Tanggal acuan: {as_of}").format(as_of=summary["as_of"]))
    print(_("Baris dibaca: {rows}").format(rows=_thousands(counts["rows"])))
    for label, n in lines:
        print(f"  {label:<24}: {_thousands(n):>10}")
    print(_("Gagal per pasal:"))
    for rule_id, n in counts["by_rule"].items():
        print(f"  {rule_id:<8}: {_thousands(n):>10}")
    budget = summary.get("budget")
    if budget:
        print(
            _("Pagu {pagu} membiayai {quota} peserta ({cost} per orang); terpakai {used}.").format(
                pagu=rupiah(budget["pagu"]),
                quota=_thousands(budget["quota"]),
                cost=rupiah(summary["contribution"]["cost_per_person"]),
                used=rupiah(budget["cost_selected"]),
            )
        )
    print(_("Hasil ditulis ke {out} dalam {seconds:.1f} detik.").format(out=out, seconds=seconds))


def _as_growth(text: str) -> Any:
    from payung.engine import SimulationError, growth_parse
    from payung.wording import SIMULATION_ERRORS

    try:
        return growth_parse(text)
    except SimulationError as exc:
        raise argparse.ArgumentTypeError(SIMULATION_ERRORS[str(exc)]) from None


def _simulation_policy(ref: str) -> tuple[Any, dict[str, str]]:
    """The policy (shipped id or YAML path) and how the simulation names it: id, version,
    title and the SHA-256 of its text, so a changed file is told apart from the shipped one."""
    from payung.domain.policy import policy_sha256, policy_text

    policy = _load_policy(ref)
    path = Path(ref)
    text = path.read_text(encoding="utf-8") if path.is_file() else policy_text(ref)
    return policy, {
        "id": policy.id,
        "version": policy.version,
        "title": policy.short_title,
        "sha256": policy_sha256(text),
    }


def _simulate_one(table: Any, ref: str, args: argparse.Namespace) -> dict[str, Any]:
    from payung.engine import (
        BackendUnavailable,
        EligibleRows,
        SimulationError,
        connect,
        screen,
        simulation_compute,
    )
    from payung.wording import SIMULATION_ERRORS

    policy, named = _simulation_policy(ref)
    try:
        with connect(args.engine) as backend:
            result = screen(table, policy=policy, as_of=args.as_of, backend=backend)
        figures = simulation_compute(
            EligibleRows.from_decisions(result.decisions),
            policy=policy,
            pagu=args.pagu,
            growth=args.growth,
            months=args.months,
            year=args.as_of.year,
        )
    except BackendUnavailable as exc:
        raise UserError(str(exc)) from None
    except SimulationError as exc:
        raise UserError(SIMULATION_ERRORS.get(str(exc), str(exc))) from None
    except ValueError as exc:  # the policy has no rate for a month of the year
        raise UserError(str(exc)) from None
    counts = {"rows": result.counts["rows"], "by_status": result.counts["by_status"]}
    return {**figures, "policy": named, "counts": counts}


def cmd_simulate(args: argparse.Namespace) -> int:
    """The budget simulator (issue 14, Pasal 6 ayat (2)): screen INPUT with the engine, then
    write DIR/simulation.json: eligible, cost per person-year, covered by the pagu, the pagu
    for full coverage and the years to it, per kecamatan and per priority group."""
    from payung.engine import simulation_compare, simulation_write

    table, sha = _read(args.input, args.columns)
    simulation = _simulate_one(table, args.policy, args)
    simulation["as_of"] = args.as_of.isoformat()
    simulation["input"] = {"name": args.input.name, "sha256": sha}
    if args.compare_policy:
        other = _simulate_one(table, args.compare_policy, args)
        simulation["comparison"] = {
            "policy": other["policy"],
            "changes": simulation_compare(simulation, other),
            "simulation": {k: v for k, v in other.items() if k != "policy"},
        }
    path = simulation_write(simulation, args.out)
    if not args.quiet:
        _print_simulation(simulation, path=path)
    return EXIT_OK


def _years_text(simulation: dict[str, Any], key: str) -> str:
    from payung.wording import SIMULATION_REASONS

    years = simulation[key]
    if years is None:
        reason = SIMULATION_REASONS.get(simulation[f"{key}_reason"], "")
        return _("tidak ada ({reason})").format(reason=reason)
    return _("{years} tahun").format(years=_thousands(years))


def _print_simulation(simulation: dict[str, Any], *, path: Path) -> None:
    from payung.domain.money import rupiah

    print(_("Kebijakan   : {title} (versi {version})").format(**simulation["policy"]))
    lines = [
        (_("memenuhi syarat"), _thousands(simulation["eligible"])),
        (_("biaya per orang setahun"), rupiah(simulation["cost_per_person_year"])),
        (_("pagu"), rupiah(simulation["pagu"])),
        (_("tercakup oleh pagu"), _thousands(simulation["covered"])),
        (_("pagu untuk cakupan penuh"), rupiah(simulation["pagu_for_full_coverage"])),
        (_("tahun sampai cakupan penuh"), _years_text(simulation, "years_to_full_coverage")),
    ]
    for label, value in lines:
        print(f"  {label:<28}: {value}")
    print(_("Hasil ditulis ke {path}.").format(path=path))


def _as_probability(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = -1.0
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(
            _("'{text}' bukan peluang; gunakan angka di atas 0 sampai 1, misalnya 0.9").format(
                text=text
            )
        )
    return value


def _read_list(path: Path, columns: Path | None, flag: str) -> tuple[Any, Any]:
    """A list to link and its stamp, for ``_list_sha256`` once the matching is done."""
    from payung.engine import ColumnMapping, ReadError, file_stamp, list_read

    stamp = None
    try:
        mapping = ColumnMapping.load(columns) if columns else None
        stamp = file_stamp(path)
        return list_read(path, mapping=mapping, mapping_flag=flag), stamp
    except ReadError as exc:
        raise _refusal(exc, path, stamp) from None


def _list_sha256(path: Path, stamp: Any) -> str:
    """The list's SHA-256, refused if the file is no longer the one read."""
    from payung.engine import ReadError, file_sha256

    try:
        return file_sha256(path, stamp=stamp)
    except ReadError as exc:
        raise UserError(exc.message) from None


def cmd_link(args: argparse.Namespace) -> int:
    """Link list A to list B (or find duplicates in A) and write matches.csv, review.csv and
    summary.json (Pasal 5 ayat (2) huruf f: contributions already paid by another budget)."""
    from payung.engine import (
        DEFAULT_REVIEW_THRESHOLD,
        DEFAULT_THRESHOLD,
        BackendUnavailable,
        dedupe_list,
        link_lists,
        link_write,
    )

    if args.b is None and args.columns_b is not None:
        raise UserError(_("--columns-b hanya dipakai bersama daftar B."))
    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    review = min(DEFAULT_REVIEW_THRESHOLD, threshold)
    show = sys.stderr.isatty() and not args.quiet
    started = time.perf_counter()
    with _progress(show) as step:
        step(_("Membaca berkas"))
        a, stamp_a = _read_list(args.a, args.columns_a, "--columns-a")
        b, stamp_b = (
            _read_list(args.b, args.columns_b, "--columns-b")
            if args.b is not None
            else (None, None)
        )
        step(_("Mencocokkan"))
        try:
            if b is None:
                result = dedupe_list(
                    table=a, seed=args.seed, threshold=threshold, review_threshold=review,
                    backend=args.engine,
                )  # fmt: skip
            else:
                result = link_lists(
                    a=a, b=b, seed=args.seed, threshold=threshold, review_threshold=review,
                    backend=args.engine,
                )  # fmt: skip
        except BackendUnavailable as exc:
            raise UserError(str(exc)) from None
        step(_("Menulis hasil"))
        inputs = {"a": {"name": args.a.name, "sha256": _list_sha256(args.a, stamp_a)}}
        if args.b is not None:
            inputs["b"] = {"name": args.b.name, "sha256": _list_sha256(args.b, stamp_b)}
        result.summary["inputs"] = inputs
        link_write(result, args.out)
    if not args.quiet:
        counts = result.summary["counts"]
        kind = _("pasangan duplikat") if b is None else _("pasangan cocok")
        print(f"{kind:<24}: {_thousands(counts['matches']):>10}")
        print(f"{_('perlu diperiksa'):<24}: {_thousands(counts['review']):>10}")
        print(f"{_('anggota keluarga (dijaga)'):<24}: {_thousands(counts['guarded_family']):>10}")
        print(
            _("Hasil ditulis ke {out} dalam {seconds:.1f} detik.").format(
                out=args.out, seconds=time.perf_counter() - started
            )
        )
    return EXIT_OK


def _synth_dukcapil_response(args: argparse.Namespace) -> int:
    from payung.engine import ReadError, dukcapil_response_write

    if args.request is None:
        raise UserError(_("--request wajib diisi: berkas verifikasi yang diunduh dari Payung."))
    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(_("Berkas jawaban harus berakhiran .csv atau .xlsx."))
    try:
        path, counts = dukcapil_response_write(
            request=args.request, out=args.out, seed=args.seed, unmatched=args.unmatched
        )
    except ReadError as exc:
        raise UserError(exc.message) from None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not args.quiet:
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        print(
            _("Jawaban Disdukcapil sintetis ditulis ke {path} ({summary}).").format(
                path=path, summary=summary
            )
        )
    return EXIT_OK


def _synth_bpjs_response(args: argparse.Namespace) -> int:
    """BPJS's synthetic answer to a registration request (docs/registration.md)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from payung.engine import ReadError, bpjs_response_write

    if args.request is None:
        raise UserError(_("--request wajib diisi: berkas pendaftaran yang diunduh dari Payung."))
    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(_("Berkas jawaban harus berakhiran .csv atau .xlsx."))
    today = args.as_of or datetime.now(ZoneInfo("Asia/Jakarta")).date()
    try:
        path, counts = bpjs_response_write(
            request=args.request,
            out=args.out,
            today=today,
            seed=args.seed,
            collision=args.collision,
            start=args.start,
        )
    except ReadError as exc:
        raise UserError(exc.message) from None
    except ValueError as exc:
        raise UserError(str(exc)) from None
    if not args.quiet:
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        print(
            _("Jawaban BPJS sintetis ditulis ke {path} ({summary}).").format(
                path=path, summary=summary
            )
        )
    return EXIT_OK


def _thousands(n: int) -> str:
    """12345 -> '12.345', the Indonesian thousands separator."""
    return f"{n:,}".replace(",", ".")


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic DTSEN extract (Pandeglang unless ``--region``), or Disdukcapil's
    answer to a request."""
    from payung.engine import synth_write

    if args.kind == "dukcapil-response":
        return _synth_dukcapil_response(args)
    if args.kind == "bpjs-response":
        return _synth_bpjs_response(args)
    if args.kind == "bpjs-invoice":
        return _synth_bpjs_invoice(args)
    if args.rows is None:
        raise UserError(_("--rows wajib diisi untuk ekstrak DTSEN sintetis."))
    if args.out.suffix.lower() not in (".csv", ".xlsx", ".parquet"):
        raise UserError(_("Berkas keluaran harus berakhiran .csv, .xlsx atau .parquet."))
    region = (args.region or "3601").replace(".", "")
    if not (len(region) == 4 and region.isdigit()):
        raise UserError(
            _("--region harus kode kabupaten/kota 4 angka Kepmendagri, misalnya 33.26.")
        )
    started = time.perf_counter()
    try:
        path = synth_write(rows=args.rows, seed=args.seed, out=args.out, region=region)
    except ValueError:
        raise UserError(
            _("Kode wilayah {code} tidak dikenal dalam tabel Kepmendagri.").format(code=args.region)
        ) from None
    if not args.quiet:
        print(
            _("{rows} baris sintetis ditulis ke {path} dalam {seconds:.1f} detik.").format(
                rows=_thousands(args.rows),
                path=path,
                seconds=time.perf_counter() - started,
            )
        )
    return EXIT_OK


# --- contributions (Pasal 9, issue 11) ---------------------------------------------------


def _policy_ref(ref: str) -> Any:
    """The policy and the SHA-256 of its text, which every bill summary names."""
    from payung.domain.policy import policy_sha256, policy_text
    from payung.engine import PolicyRef

    policy = _load_policy(ref)
    path = Path(ref)
    text = path.read_text(encoding="utf-8") if path.is_file() else policy_text(ref)
    return PolicyRef(policy=policy, sha256=policy_sha256(text))


def _contribution_period(args: argparse.Namespace) -> tuple[date, date]:
    if args.first is None or args.last is None:
        raise UserError(_("--from dan --to wajib diisi (YYYY-MM)."))
    if args.last < args.first:
        raise UserError(_("--from harus sebelum atau sama dengan --to."))
    return args.first, args.last


@contextmanager
def _contribution_errors() -> Iterator[None]:
    """A roster or invoice that cannot be used, or a month the policy has no rate for, is the
    user's to fix: one Indonesian message (every bad row listed), exit 2."""
    from payung.engine import ContributionFileError

    try:
        yield
    except ContributionFileError as exc:
        raise UserError(str(exc)) from None
    except ValueError as exc:
        raise UserError(_nik_scrub(str(exc))) from None


def cmd_contributions_bill(args: argparse.Namespace) -> int:
    """Bill a roster for a period: bill.csv, bill_lines.csv and summary.json (Pasal 9)."""
    from payung.domain.money import rupiah
    from payung.engine import bill_files_write

    first, last = _contribution_period(args)
    policy = _policy_ref(args.policy)
    with _contribution_errors():
        summary = bill_files_write(
            roster_path=args.roster,
            first=first,
            last=last,
            policy=policy,
            out=args.out,
            mapping=args.columns,
        )
    if not args.quiet:
        print(
            _(
                "{people} peserta, {months} bulan-peserta; JKK {jkk}, JKM {jkm}, jumlah {total}. "
                "Hasil ditulis ke {out}."
            ).format(
                people=_thousands(summary["participants"]),
                months=_thousands(summary["months"]),
                jkk=rupiah(summary["totals"]["jkk"]),
                jkm=rupiah(summary["totals"]["jkm"]),
                total=rupiah(summary["grand_total"]),
                out=args.out,
            )
        )
    return EXIT_OK


def cmd_contributions_reconcile(args: argparse.Namespace) -> int:
    """Reconcile a roster's bill with BPJS's invoice: reconciliation.csv and summary.json."""
    from payung.domain.money import rupiah
    from payung.engine import reconciliation_files_write

    first, last = _contribution_period(args)
    policy = _policy_ref(args.policy)
    with _contribution_errors():
        summary = reconciliation_files_write(
            roster_path=args.roster,
            invoice_path=args.invoice,
            first=first,
            last=last,
            policy=policy,
            out=args.out,
            mapping=args.columns,
            invoice_mapping=args.columns_invoice,
        )
    if not args.quiet:
        for category, cell in summary["categories"].items():
            print(
                f"  {category:<13}: {_thousands(cell['count']):>10}  "
                f"Payung {rupiah(cell['payung_amount'])}, BPJS {rupiah(cell['bpjs_amount'])}"
            )
        print(_("Hasil ditulis ke {out}.").format(out=args.out))
    return EXIT_OK


def _synth_bpjs_invoice(args: argparse.Namespace) -> int:
    from payung.engine import bpjs_invoice_write

    if args.roster is None:
        raise UserError(_("ROSTER wajib diisi: daftar peserta (.csv atau .xlsx)."))
    if args.policy is None:
        raise UserError(_("--policy wajib diisi."))
    first, last = _contribution_period(args)
    if args.out.suffix.lower() not in (".csv", ".xlsx"):
        raise UserError(_("Berkas tagihan harus berakhiran .csv atau .xlsx."))
    policy = _load_policy(args.policy)
    with _contribution_errors():
        path, counts = bpjs_invoice_write(
            roster=args.roster,
            first=first,
            last=last,
            contribution=policy.contribution,
            out=args.out,
            seed=args.seed,
            mapping=args.columns,
        )
    if not args.quiet:
        summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items()))
        print(
            _("Tagihan BPJS sintetis ditulis ke {path} ({summary}).").format(
                path=path, summary=summary
            )
        )
    return EXIT_OK


def cmd_policy_check(args: argparse.Namespace) -> int:
    """Validate a policy file and say so, then what is still unconfirmed (issue 15): the
    values resting on an assumption and those with no provenance at all."""
    from payung.domain.policy import policy_assumptions, policy_unsourced

    policy = _load_policy(str(args.file))
    print(
        _("Kebijakan sah: {id} versi {version} ({title}).").format(
            id=policy.id, version=policy.version, title=policy.short_title
        )
    )
    assumptions = policy_assumptions(policy)
    unsourced = policy_unsourced(policy)
    if not assumptions and not unsourced:
        print(_("Semua nilai bersumber pasal, notulen atau peraturan; tidak ada asumsi."))
        return EXIT_OK
    if assumptions:
        print(_("Belum dikonfirmasi (asumsi): {n}").format(n=len(assumptions)))
        for path, entry in assumptions:
            print(f"  - {path}: {entry.why}")
    if unsourced:
        print(_("Tanpa sumber (provenance): {n}").format(n=len(unsourced)))
        for path in unsourced:
            print(f"  - {path}")
    return EXIT_OK


def cmd_policy_new(args: argparse.Namespace) -> int:
    """Write a first policy file for any regency or city (issue 15)."""
    from payung.domain.policy_scaffold import ScaffoldError, policy_scaffold

    try:
        text = policy_scaffold(region_code=args.region, base=args.base)
    except ScaffoldError as exc:
        raise UserError(str(exc)) from None
    if args.out.exists() and not args.force:
        raise UserError(
            _("{path} sudah ada; pakai --force untuk menimpanya.").format(path=args.out)
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    print(
        _(
            "Kerangka kebijakan ditulis ke {path}. Semua aturan bertanda asumsi sampai "
            "dikonfirmasi: jalankan `payung policy check {path}`."
        ).format(path=args.out)
    )
    return EXIT_OK


def cmd_policy_diff(args: argparse.Namespace) -> int:
    """Compare two policies rule by rule and, given an extract, person by person (issue 15)."""
    from payung.engine import (
        BackendUnavailable,
        connect,
        policy_diff,
        policy_diff_text,
        policy_diff_write,
    )

    a, b = _load_policy(args.a), _load_policy(args.b)
    if args.extract is None:
        diff = policy_diff(a, b)
    else:
        if args.as_of is None:
            raise UserError(_("--as-of wajib diisi bersama --extract (YYYY-MM-DD)."))
        table, _sha = _read(args.extract, None)
        try:
            with connect(args.engine) as backend:
                diff = policy_diff(a, b, table=table, as_of=args.as_of, backend=backend)
        except BackendUnavailable as exc:
            raise UserError(str(exc)) from None
    print(policy_diff_text(diff, a=a, b=b))
    if args.out is not None:
        if args.extract is None:
            raise UserError(_("--out memerlukan --extract: changes.csv berisi baris ekstrak."))
        path = policy_diff_write(diff, args.out)
        print(_("Baris yang berubah status ditulis ke {path}.").format(path=path))
    return EXIT_OK


def cmd_policy_show(args: argparse.Namespace) -> int:
    """Print a policy's rules with their articles, in Indonesian."""
    from payung.domain.money import rupiah

    policy = _load_policy(args.id)
    print(f"{policy.title}")
    print(
        _("Id {id}, versi {version}, berlaku {date}, wilayah {region} ({code})").format(
            id=policy.id,
            version=policy.version,
            date=policy.effective_date.isoformat(),
            region=policy.region.name,
            code=policy.region.code,
        )
    )
    print()
    print(_("Kriteria kepesertaan:"))
    for rule in policy.rules:
        print(f"  [{rule.id}] {rule.article}")
        print(f"      {rule.sentence}")
    print()
    print(_("Prioritas (Pasal 7 ayat (2)):"))
    for prio in policy.priorities:
        print(f"  [{prio.id}] {prio.article}: {prio.sentence}")
    print(_("  Urutan peringkat: {order}").format(order=", ".join(policy.ranking.order)))
    print()
    print(_("Iuran per peserta per bulan ({article}):").format(article=policy.contribution.article))
    for comp in policy.contribution.components:
        print(f"  {comp.code} ({comp.name}): {rupiah(comp.monthly)}")
    print(
        _("  Jumlah: {total}; {months} bulan: {year}").format(
            total=rupiah(policy.contribution.monthly_total),
            months=policy.coverage_months,
            year=rupiah(policy.annual_cost_per_person()),
        )
    )
    _policy_show_issue15(policy)
    return EXIT_OK


def _policy_show_issue15(policy: Any) -> None:
    """Funding sources, sanctions and the assumptions still to confirm (issue 15)."""
    from payung.domain.policy import policy_assumptions, policy_funding_sources

    print()
    print(_("Sumber dana:"))
    for source in policy_funding_sources(policy):
        article = f" ({source.article})" if source.article else ""
        print(f"  [{source.code}] {source.name}{article}")
    sanctions = policy.sanctions
    print()
    if sanctions.enabled:
        print(_("Sanksi administratif ({basis}) berlaku:").format(basis=sanctions.basis))
        print(
            _(
                "  {w} teguran tertulis @ {d} hari kerja, denda {p} per mil per bulan dari "
                "iuran tertunggak paling lama {f} hari, lalu tidak mendapat pelayanan publik "
                "tertentu."
            ).format(
                w=sanctions.warnings,
                d=sanctions.warning_working_days,
                p=sanctions.fine_permille_per_month,
                f=sanctions.fine_max_days,
            )
        )
    else:
        print(_("Sanksi administratif: tidak diatur dalam kebijakan ini."))
    assumptions = policy_assumptions(policy)
    print()
    if assumptions:
        print(_("Asumsi yang belum dikonfirmasi ({n}):").format(n=len(assumptions)))
        for path, entry in assumptions:
            print(f"  - {path}: {entry.why}")
    else:
        print(_("Asumsi: tidak ada."))


def cmd_demo(args: argparse.Namespace) -> int:
    """The main job: a synthetic regency through the yearly cycle so far, then the web app.

    Creates a fresh SQLite database in the demo folder, a user per role (passwords printed
    once), Kabupaten Pandeglang's programme year 2026 with its pagu, imports a synthetic
    DTSEN extract and screens it through the real task queue, then serves the application
    with a background worker on http://127.0.0.1:8000.
    """
    import os
    import subprocess

    from payung.domain.money import rupiah

    data_dir = args.out.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    for leftover in data_dir.glob("payung.sqlite3*"):
        leftover.unlink()
    os.environ["PAYUNG_DATA_DIR"] = str(data_dir)
    # The demo asks for no second factor (no phone needed to try it); production does.
    os.environ.setdefault("PAYUNG_OTP_REQUIRED", "0")
    # One local browser: static files without gzip/brotli copies (issue 16 target 5).
    os.environ.setdefault("PAYUNG_STATIC_COMPRESS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    import django

    django.setup()
    from concurrent.futures import ThreadPoolExecutor

    from django.core.management import call_command

    from payung.accounts.services import demo_passwords_draw
    from payung.demo import demo_build, demo_extract_start, documents_waiting

    started = time.perf_counter()
    print(_("1/20 Menyiapkan basis data dan berkas statis di {path}...").format(path=data_dir))
    # Two cores, one build: while migrate runs, the static files and the synthetic extract
    # (no database) are made by other processes and the users' Argon2 hashes in a thread
    # (issue 16 target 5).
    extract_written = demo_extract_start(data_dir=data_dir, rows=args.rows, seed=args.seed)
    static = subprocess.Popen(
        [sys.executable, "-m", "django", "collectstatic", "--noinput", "--verbosity", "0"],
        env=os.environ.copy(),
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        drawing = pool.submit(demo_passwords_draw)
        call_command("migrate", verbosity=0, interactive=False)
        passwords = drawing.result()
    result = demo_build(
        data_dir=data_dir,
        rows=args.rows,
        seed=args.seed,
        budget=args.budget,
        as_of=args.as_of,
        say=print,
        passwords=passwords,
        extract_written=extract_written,
    )
    if static.wait() != 0:
        raise RuntimeError("collectstatic failed")
    print()
    print(
        _(
            "Pengguna demo (kata sandi sekali pakai, hanya ditampilkan sekali ini; "
            "setiap pengguna diminta menggantinya saat pertama masuk):"
        )
    )
    for username, role, password in result.users:
        print(f"  {username:<24} {password:<18} {role}")
    counts = result.counts["by_status"]
    print()
    print(
        _("Tahun program {year}: pagu {pagu}, kuota {quota} peserta.").format(
            year=result.year, pagu=rupiah(args.budget), quota=_thousands(result.quota)
        )
    )
    print(
        _(
            "Hasil penyaringan: {sel} terpilih, {wait} daftar tunggu, {inel} tidak memenuhi "
            "syarat, {inv} data tidak sah."
        ).format(
            sel=_thousands(counts["selected"]),
            wait=_thousands(counts["waitlisted"]),
            inel=_thousands(counts["ineligible"]),
            inv=_thousands(counts["invalid"]),
        )
    )
    v = result.verification
    print(
        _(
            "Verifikasi Disdukcapil dalam {rounds} tahap: {ok} sesuai, {diff} data berbeda, "
            "{gone} tidak ditemukan/meninggal/pindah, {unmatched} baris jawaban tidak cocok "
            "(dilaporkan)."
        ).format(
            rounds=v.get("tahap", 0),
            ok=_thousands(v.get("SESUAI", 0)),
            diff=_thousands(v.get("DATA BERBEDA", 0)),
            gone=_thousands(
                v.get("TIDAK DITEMUKAN", 0) + v.get("MENINGGAL", 0) + v.get("PINDAH", 0)
            ),
            unmatched=v.get("tidak_cocok", 0),
        )
    )
    print(
        _(
            "Daftar BPU APBD provinsi: {n} pasangan dengan ekstrak ditemukan, {d} sudah "
            "diputuskan petugas (Pasal 5 ayat (2) huruf f)."
        ).format(n=v.get("daftar_lain_cocok", 0), d=v.get("daftar_lain_diputuskan", 0))
    )
    print(
        _("Keputusan Bupati {number}: {n} peserta ditetapkan.").format(
            number=result.decree_number, n=_thousands(v.get("ditetapkan", 0))
        )
    )
    t = result.through_year
    print(
        _(
            "Pendaftaran BPJS: {ok} diterima (KPJ dan mulai kepesertaan), {refused} ditolak "
            "dan digantikan {repl} dari daftar tunggu melalui keputusan perubahan; "
            "{active} peserta aktif; {cards} kartu diserahkan."
        ).format(
            ok=_thousands(t.get("diterima", 0)),
            refused=_thousands(t.get("ditolak", 0)),
            repl=_thousands(t.get("pengganti", 0)),
            active=_thousands(t.get("aktif", 0)),
            cards=_thousands(t.get("kartu_diserahkan", 0)),
        )
    )
    print(
        _(
            "Iuran: {bills} tagihan (Januari-Maret), {sp2d} SP2D (satu sebagian), "
            "rekonsiliasi dengan tagihan BPJS ditutup."
        ).format(bills=t.get("tagihan", 0), sp2d=t.get("sp2d", 0))
    )
    for line in result.later:
        print(line)
    print(_("Siap dalam {seconds:.0f} detik.").format(seconds=time.perf_counter() - started))
    waiting = documents_waiting()
    if args.no_serve:
        if waiting:
            print(
                _(
                    "{n} dokumen (lampiran, berita acara, surat, laporan, SOP) menunggu pekerja "
                    "latar belakang: jalankan `payung worker`."
                ).format(n=_thousands(waiting))
            )
        return EXIT_OK
    if waiting:
        print(
            _(
                "{n} dokumen (lampiran, berita acara, surat, laporan, SOP) sedang disiapkan "
                "oleh pekerja latar belakang; setiap halaman menunjukkan statusnya sampai selesai."
            ).format(n=_thousands(waiting))
        )
    print(
        _(
            "Buka http://127.0.0.1:{port} dan masuk dengan salah satu pengguna di atas. "
            "Hentikan dengan Ctrl+C."
        ).format(port=args.port)
    )
    worker = subprocess.Popen(
        [sys.executable, "-m", "payung.cli", "worker", "--interval", "1"], env=os.environ.copy()
    )
    try:
        # The checks ran with migrate a moment ago; runserver would repeat them.
        call_command(
            "runserver",
            f"127.0.0.1:{args.port}",
            use_reloader=False,
            skip_checks=True,
            verbosity=0,
        )
    finally:
        worker.terminate()
        worker.wait(timeout=10)
    return EXIT_OK


def _django(*argv: str) -> int:
    """Run a Django management command with Payung's settings."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["payung manage", *argv])
    return EXIT_OK


def cmd_manage(args: argparse.Namespace) -> int:
    """Any Django management command (migrate, createsuperuser, check --deploy, ...)."""
    return _django(*args.rest)


def cmd_worker(args: argparse.Namespace) -> int:
    """The background worker that runs imports, screenings and documents (django-tasks-db);
    on start and every few seconds it fails, for retry, the jobs of workers that died."""
    return _django("job_worker", *args.rest)


def _django_status(*argv: str) -> int:
    """A management command that ends with ``SystemExit(code)``, its code as the result."""
    try:
        _django(*argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return EXIT_OK


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Recompute the keyed audit chain and check anchors and printed digests; exit 1 naming
    the first broken entry or the anchor that no longer matches."""
    argv = ["audit_verify"]
    if args.anchor:
        argv += ["--anchor", *map(str, args.anchor)]
    for digest in args.digest:
        argv += ["--digest", digest]
    return _django_status(*argv)


def cmd_audit_anchor(args: argparse.Namespace) -> int:
    """Record an anchor entry and write the signed head for the Inspektorat."""
    return _django_status("audit_anchor", *(["--out", str(args.out)] if args.out else []))


def cmd_backup(args: argparse.Namespace) -> int:
    """An online backup of the database, written 0600 (docs/backup.md)."""
    return _django_status("db_backup", "--out", str(args.out))


def cmd_restore(args: argparse.Namespace) -> int:
    """Restore a backup into a new, empty database and verify its audit trail."""
    return _django_status("db_restore", str(args.file))


# --- personal data: right of access and retention ------------------------------------


def _django_setup() -> None:
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "payung.web.settings")
    import django

    django.setup()


def _operator(username: str, permission: str) -> Any:
    """The active user named by ``--as``, who must hold ``permission``."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise UserError(
            _("pengguna '{username}' tidak ditemukan atau tidak aktif.").format(username=username)
        )
    if not user.has_perm(permission):
        raise UserError(
            _(
                "pengguna '{username}' tidak berhak mengekspor atau menghapus data pribadi "
                "(izin {permission})."
            ).format(username=username, permission=permission)
        )
    return user


def _nik_read(args: argparse.Namespace) -> str:
    """The NIK from --nik-file, a hidden prompt on a terminal, or the first line of stdin.

    Never from the command line: argv lands in shell history and in every user's process
    list, so a NIK given there is refused without being repeated.
    """
    import getpass

    if args.nik_argv:
        raise UserError(
            _(
                "NIK tidak boleh ditulis di baris perintah (tersimpan di riwayat shell dan "
                "terlihat di daftar proses). Kirim lewat stdin, ketik saat diminta, atau pakai "
                "--nik-file BERKAS."
            )
        )
    if args.nik_file is not None:
        try:
            lines = args.nik_file.read_text(encoding="utf-8-sig").splitlines()
        except OSError:
            raise UserError(
                _("berkas NIK {path} tidak dapat dibaca.").format(
                    path=_nik_scrub(str(args.nik_file))
                )
            ) from None
        raw = next((line for line in lines if line.strip()), "")
    elif sys.stdin.isatty():
        raw = getpass.getpass(_("NIK: "))
    else:
        raw = sys.stdin.readline()
    from payung.domain import nik as nik_domain

    nik = nik_domain.clean(raw)
    if not nik:
        raise UserError(_("NIK kosong."))
    if not nik.isdigit():
        raise UserError(_("NIK hanya berisi angka."))
    return nik


def cmd_sop(args: argparse.Namespace) -> int:
    """Every agency's SOP (DOCX and PDF) from the workflow's tables, for a programme year
    (its pinned policy) or for a policy file (Pekalongan minutes item 5)."""
    if (args.year is None) == (args.policy is None):
        raise UserError(_("sebutkan salah satu: --year ID atau --policy ID."))
    policy = _load_policy(args.policy) if args.policy is not None else None
    _django_setup()
    from payung.procedures.documents import sop_files_write

    year = None
    if args.year is not None:
        from payung.programmes.models import ProgrammeYear

        year = ProgrammeYear.objects.filter(pk=args.year).first()
        if year is None:
            raise UserError(_("tahun program {id} tidak ditemukan.").format(id=args.year))
    written = sop_files_write(programme_year=year, policy=policy, out=args.out)
    print(_("{n} berkas SOP ditulis ke {path}.").format(n=len(written), path=args.out))
    return EXIT_OK


def cmd_person_export(args: argparse.Namespace) -> int:
    """Everything Payung holds on one NIK, to a 0600 JSON or XLSX file, audited."""
    if args.out.suffix.lower() not in (".json", ".xlsx"):
        raise UserError(_("Berkas keluaran harus berakhiran .json atau .xlsx."))
    if not args.out.parent.is_dir():
        raise UserError(_("folder {path} tidak ada.").format(path=args.out.parent))
    nik = _nik_read(args)
    _django_setup()
    from payung.people.services import EXPORT_PERMISSION, person_export

    actor = _operator(args.as_user, EXPORT_PERMISSION)
    made = person_export(nik=nik, actor=actor, out=args.out)
    print(
        _(
            "Data pribadi NIK {nik}: {n} catatan ditulis ke {path} (hanya dapat dibaca "
            "pemilik berkas); ekspor dicatat di jejak audit."
        ).format(nik=made.nik_masked, n=made.records, path=made.path)
    )
    return EXIT_OK


def cmd_retention_run(args: argparse.Namespace) -> int:
    """Remove personal data of people never selected, PAYUNG_RETENTION_YEARS after their year."""
    _django_setup()
    from django.conf import settings
    from django.utils import timezone

    from payung.people.services import EXPORT_PERMISSION, retention_run

    actor = _operator(args.as_user, EXPORT_PERMISSION)
    keep = int(getattr(settings, "PAYUNG_RETENTION_YEARS", 5))
    as_of = args.as_of or timezone.localdate()
    report = retention_run(actor=actor, as_of=as_of, keep_years=keep, dry_run=args.dry_run)
    head = _("Uji coba, tidak ada yang dihapus.") if args.dry_run else _("Retensi dijalankan.")
    print(
        _("{head} Masa simpan {keep} tahun; tanggal acuan {as_of}.").format(
            head=head, keep=keep, as_of=as_of.isoformat()
        )
    )
    if not report.years:
        print(_("Tidak ada tahun program yang masa simpannya telah lewat."))
        return EXIT_OK
    verb = _("akan dihapus") if args.dry_run else _("dihapus")
    for y in report.years:
        print(
            _(
                "  {region} {year}: {persons} orang, {decisions} keputusan, {candidates} calon, "
                "{households} keluarga, {files} berkas ekstrak {verb}; {kept} orang yang pernah "
                "diusulkan tetap disimpan."
            ).format(
                region=y.region,
                year=y.year,
                persons=_thousands(y.persons),
                decisions=_thousands(y.decisions),
                candidates=_thousands(y.candidates),
                households=_thousands(y.households),
                files=_thousands(y.files),
                verb=verb,
                kept=_thousands(y.kept),
            )
        )
    print(
        _("Jumlah: {persons} orang {verb}.").format(
            persons=_thousands(report.total("persons")), verb=verb
        )
    )
    return EXIT_OK


#: Commands whose arguments are Django's, handed over without parsing.
PASS_THROUGH: dict[str, Any] = {"manage": cmd_manage, "worker": cmd_worker}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="payung",
        description=_("Payung: jaminan sosial ketenagakerjaan bagi pekerja rentan."),
    )
    sub = parser.add_subparsers(
        dest="command", required=True, parser_class=_Parser, metavar=_("PERINTAH")
    )

    screen = sub.add_parser("screen", help=_("menyaring ekstrak DTSEN menurut kebijakan"))
    screen.add_argument("input", type=Path, help=_("berkas DTSEN (.csv, .xlsx, .parquet)"))
    screen.add_argument("--policy", required=True, help=_("id kebijakan atau berkas YAML"))
    screen.add_argument("--as-of", required=True, type=_as_date, help=_("tanggal acuan usia"))
    screen.add_argument("--budget", type=_as_rupiah, help=_("pagu dalam rupiah"))
    screen.add_argument("--months", type=_as_months, help=_("bulan kepesertaan (baku: kebijakan)"))
    screen.add_argument("--columns", type=Path, help=_("berkas pemetaan kolom (YAML)"))
    # Polars by default: the fastest end to end for one run (issue 16); every engine writes
    # the same bytes, and DuckDB stays the default where a process screens again and again.
    screen.add_argument(
        "--engine",
        default="polars",
        choices=["duckdb", "polars", "spark"],
        help=_("mesin (baku: polars; hasilnya sama untuk setiap mesin)"),
    )
    screen.add_argument("--out", required=True, type=Path, help=_("folder hasil"))
    screen.add_argument("--quiet", action="store_true", help=_("tanpa ringkasan"))
    screen.set_defaults(func=cmd_screen)

    simulate = sub.add_parser(
        "simulate", help=_("simulasi anggaran menuju cakupan penuh (Pasal 6 ayat (2))")
    )
    simulate.add_argument("input", type=Path, help=_("berkas DTSEN (.csv, .xlsx, .parquet)"))
    simulate.add_argument("--policy", required=True, help=_("id kebijakan atau berkas YAML"))
    simulate.add_argument("--as-of", required=True, type=_as_date, help=_("tanggal acuan usia"))
    simulate.add_argument("--pagu", required=True, type=_as_rupiah, help=_("pagu dalam rupiah"))
    simulate.add_argument(
        "--growth", type=_as_growth, default="0", help=_("pertumbuhan pagu per tahun (persen)")
    )
    simulate.add_argument(
        "--months", type=_as_months, help=_("bulan kepesertaan (baku: kebijakan)")
    )
    simulate.add_argument(
        "--compare-policy", help=_("kebijakan kedua (id atau berkas YAML) untuk dibandingkan")
    )
    simulate.add_argument("--columns", type=Path, help=_("berkas pemetaan kolom (YAML)"))
    simulate.add_argument("--engine", default="duckdb", choices=["duckdb", "polars", "spark"])
    simulate.add_argument("--out", required=True, type=Path, help=_("folder hasil"))
    simulate.add_argument("--quiet", action="store_true", help=_("tanpa ringkasan"))
    simulate.set_defaults(func=cmd_simulate)

    link = sub.add_parser(
        "link",
        help=_("mencocokkan orang antardaftar (pendanaan ganda) atau mencari duplikat"),
        description=_(
            "Dengan dua daftar: mencari orang daftar A (ekstrak DTSEN) yang juga ada di daftar B "
            "(daftar penerima bantuan iuran lain). Dengan satu daftar: mencari orang yang "
            "tercatat dua kali."
        ),
    )
    link.add_argument("a", type=Path, help=_("daftar A (.csv, .xlsx, .parquet)"))
    link.add_argument("b", type=Path, nargs="?", help=_("daftar B (tanpa ini: cari duplikat A)"))
    link.add_argument("--columns-a", type=Path, help=_("pemetaan kolom daftar A (YAML)"))
    link.add_argument("--columns-b", type=Path, help=_("pemetaan kolom daftar B (YAML)"))
    link.add_argument(
        "--threshold",
        type=_as_probability,
        help=_("peluang minimum untuk dinyatakan cocok (baku 0.9)"),
    )
    link.add_argument("--seed", type=int, default=1)
    link.add_argument("--engine", default="duckdb", choices=["duckdb", "spark"])
    link.add_argument("--out", required=True, type=Path, help=_("folder hasil"))
    link.add_argument("--quiet", action="store_true", help=_("tanpa ringkasan"))
    link.set_defaults(func=cmd_link)

    synth = sub.add_parser(
        "synth", help=_("membuat ekstrak DTSEN sintetis atau jawaban Disdukcapil sintetis")
    )
    synth.add_argument(
        "kind",
        nargs="?",
        default="dtsen",
        choices=["dtsen", "dukcapil-response", "bpjs-invoice", "bpjs-response"],
    )
    synth.add_argument("roster", nargs="?", type=Path, help=_("daftar peserta (tagihan BPJS)"))
    synth.add_argument("--from", dest="first", type=_as_month, help=_("bulan pertama (YYYY-MM)"))
    synth.add_argument("--to", dest="last", type=_as_month, help=_("bulan terakhir (YYYY-MM)"))
    synth.add_argument("--policy", help=_("id kebijakan atau berkas YAML (tagihan BPJS)"))
    synth.add_argument("--columns", type=Path, help=_("pemetaan kolom daftar peserta (YAML)"))
    synth.add_argument("--rows", type=_as_positive, help=_("jumlah baris (ekstrak DTSEN)"))
    synth.add_argument("--request", type=Path, help=_("berkas verifikasi (jawaban Disdukcapil)"))
    synth.add_argument("--unmatched", type=int, default=1, help=_("baris NIK yang tidak dikirim"))
    synth.add_argument(
        "--collision", action="store_true", help=_("satu KPJ ganda (jawaban BPJS; berkas ditolak)")
    )
    synth.add_argument(
        "--as-of", type=_as_date, help=_("tanggal acuan mulai kepesertaan (baku: hari ini, WIB)")
    )
    synth.add_argument(
        "--start",
        type=_as_date,
        help=_("tanggal mulai kepesertaan setiap baris diterima (jawaban BPJS, YYYY-MM-DD)"),
    )
    synth.add_argument(
        "--region",
        help=_("kabupaten/kota ekstrak DTSEN, kode Kepmendagri (baku: 36.01 Pandeglang)"),
    )
    synth.add_argument("--seed", type=int, default=1)
    synth.add_argument("--out", required=True, type=Path)
    synth.add_argument("--quiet", action="store_true")
    synth.set_defaults(func=cmd_synth)

    policy = sub.add_parser("policy", help=_("memeriksa dan menampilkan kebijakan"))
    policy_sub = policy.add_subparsers(dest="policy_command", required=True, parser_class=_Parser)
    check = policy_sub.add_parser("check", help=_("memeriksa berkas kebijakan"))
    check.add_argument("file", type=Path)
    check.set_defaults(func=cmd_policy_check)
    show = policy_sub.add_parser("show", help=_("menampilkan aturan beserta pasalnya"))
    show.add_argument("id")
    show.set_defaults(func=cmd_policy_show)
    new_policy = policy_sub.add_parser(
        "new", help=_("membuat kerangka kebijakan untuk kabupaten/kota lain")
    )
    new_policy.add_argument("--region", required=True, help=_("kode kabupaten/kota, mis. 3326"))
    new_policy.add_argument("--from", dest="base", default="pandeglang-2025")
    new_policy.add_argument("--out", required=True, type=Path)
    new_policy.add_argument("--force", action="store_true")
    new_policy.set_defaults(func=cmd_policy_new)
    diff = policy_sub.add_parser("diff", help=_("membandingkan dua kebijakan"))
    diff.add_argument("a", help=_("kebijakan A (id atau berkas)"))
    diff.add_argument("b", help=_("kebijakan B (id atau berkas)"))
    diff.add_argument("--extract", type=Path, help=_("ekstrak DTSEN untuk menghitung perubahan"))
    diff.add_argument("--as-of", type=_as_date, help=_("tanggal acuan usia"))
    diff.add_argument("--out", type=Path, help=_("folder untuk changes.csv"))
    diff.add_argument("--engine", default="duckdb", choices=["duckdb", "polars", "spark"])
    diff.set_defaults(func=cmd_policy_diff)

    manage = sub.add_parser("manage", help=_("perintah manajemen Django"))
    manage.add_argument("rest", nargs=argparse.REMAINDER)
    manage.set_defaults(func=cmd_manage)

    worker = sub.add_parser("worker", help=_("menjalankan pekerja latar (impor, penyaringan)"))
    worker.add_argument("rest", nargs=argparse.REMAINDER)
    worker.set_defaults(func=cmd_worker)

    audit = sub.add_parser("audit", help=_("jejak audit"))
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    verify = audit_sub.add_parser("verify", help=_("memeriksa keutuhan rantai jejak audit"))
    verify.add_argument(
        "--anchor", nargs="+", type=Path, default=[], help=_("berkas jangkar dari Inspektorat")
    )
    verify.add_argument(
        "--digest", action="append", default=[], help=_("ringkasan cetak: JUMLAH:SIDIK")
    )
    verify.set_defaults(func=cmd_audit_verify)
    anchor = audit_sub.add_parser("anchor", help=_("menjangkarkan kepala rantai (berkas bertanda)"))
    anchor.add_argument("--out", type=Path, help=_("berkas jangkar (baku: ke layar)"))
    anchor.set_defaults(func=cmd_audit_anchor)

    backup = sub.add_parser("backup", help=_("mencadangkan basis data (docs/backup.md)"))
    backup.add_argument("--out", required=True, type=Path, help=_("berkas cadangan baru"))
    backup.set_defaults(func=cmd_backup)
    restore = sub.add_parser("restore", help=_("memulihkan cadangan ke basis data baru"))
    restore.add_argument("file", type=Path, help=_("berkas cadangan"))
    restore.set_defaults(func=cmd_restore)

    person = sub.add_parser("person", help=_("data pribadi satu orang (hak akses)"))
    person_sub = person.add_subparsers(dest="person_command", required=True, parser_class=_Parser)
    export = person_sub.add_parser(
        "export",
        allow_abbrev=False,  # "--nik 3601…" must not be taken for "--nik-file"
        help=_("mengekspor semua data yang disimpan tentang satu NIK (tercatat di jejak audit)"),
        description=_(
            "NIK dibaca dari stdin, dari --nik-file, atau diketik saat diminta; tidak pernah "
            "dari baris perintah."
        ),
    )
    export.add_argument("nik_argv", nargs="?", metavar="-", help=argparse.SUPPRESS)
    export.add_argument("--nik-file", type=Path, help=_("berkas berisi NIK (satu baris)"))
    export.add_argument("--out", required=True, type=Path, help=_("berkas .json atau .xlsx"))
    export.add_argument("--as", dest="as_user", required=True, help=_("nama pengguna operator"))
    export.set_defaults(func=cmd_person_export)

    retention = sub.add_parser("retention", help=_("masa simpan data pribadi"))
    retention_sub = retention.add_subparsers(
        dest="retention_command", required=True, parser_class=_Parser
    )
    retention_run_parser = retention_sub.add_parser(
        "run",
        help=_(
            "menghapus data pribadi orang yang tidak pernah diusulkan, PAYUNG_RETENTION_YEARS "
            "tahun setelah tahun programnya"
        ),
    )
    retention_run_parser.add_argument("--dry-run", action="store_true", help=_("hanya menghitung"))
    retention_run_parser.add_argument(
        "--as", dest="as_user", required=True, help=_("nama pengguna operator")
    )
    retention_run_parser.add_argument(
        "--as-of", type=_as_date, help=_("tanggal acuan (baku: hari ini, WIB)")
    )
    retention_run_parser.set_defaults(func=cmd_retention_run)

    contributions = sub.add_parser("contributions", help=_("tagihan iuran dan rekonsiliasi"))
    contributions_sub = contributions.add_subparsers(
        dest="contributions_command", required=True, parser_class=_Parser
    )
    bill = contributions_sub.add_parser(
        "bill", help=_("menghitung tagihan iuran daftar peserta (Pasal 9)")
    )
    reconcile = contributions_sub.add_parser(
        "reconcile", help=_("mencocokkan tagihan Payung dengan tagihan BPJS")
    )
    for command in (bill, reconcile):
        command.add_argument("roster", type=Path, help=_("daftar peserta (.csv atau .xlsx)"))
        if command is reconcile:
            command.add_argument("invoice", type=Path, help=_("tagihan BPJS (.csv atau .xlsx)"))
        command.add_argument(
            "--from",
            dest="first",
            required=True,
            type=_as_month,
            metavar="YYYY-MM",
            help=_("bulan pertama"),
        )
        command.add_argument(
            "--to",
            dest="last",
            required=True,
            type=_as_month,
            metavar="YYYY-MM",
            help=_("bulan terakhir"),
        )
        command.add_argument("--policy", required=True, help=_("id kebijakan atau berkas YAML"))
        command.add_argument("--columns", type=Path, help=_("pemetaan kolom daftar peserta"))
        if command is reconcile:
            command.add_argument(
                "--columns-invoice", type=Path, help=_("pemetaan kolom tagihan BPJS")
            )
        command.add_argument("--out", required=True, type=Path, help=_("folder hasil"))
        command.add_argument("--quiet", action="store_true", help=_("tanpa ringkasan"))
    bill.set_defaults(func=cmd_contributions_bill)
    reconcile.set_defaults(func=cmd_contributions_reconcile)

    sop = sub.add_parser("sop", help=_("SOP setiap perangkat daerah dari alur kerja"))
    sop_from = sop.add_mutually_exclusive_group(required=True)
    sop_from.add_argument("--year", type=int, help=_("id tahun program (kebijakan tersematnya)"))
    sop_from.add_argument("--policy", help=_("id atau berkas kebijakan"))
    sop.add_argument("--out", required=True, type=Path, help=_("folder hasil"))
    sop.set_defaults(func=cmd_sop)

    demo = sub.add_parser("demo", help=_("demo: kabupaten sintetis sampai aplikasi web"))
    demo.add_argument("--rows", type=_as_positive, default=50_000)
    demo.add_argument("--seed", type=int, default=2026)
    demo.add_argument("--budget", type=_as_rupiah, default=1_008_000_000)
    demo.add_argument("--as-of", type=_as_date, default=date(2026, 1, 1))
    demo.add_argument("--out", type=Path, default=Path("var/demo"))
    demo.add_argument("--no-serve", action="store_true", help=_("tanpa menjalankan server"))
    demo.add_argument(
        "--port", type=_as_positive, default=8000, help=_("port server lokal (bawaan 8000)")
    )
    demo.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``payung`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in PASS_THROUGH:
        # Everything after these goes to Django as is: argparse's REMAINDER refuses a rest
        # that starts with an option (``payung worker --interval 1``).
        args = argparse.Namespace(rest=argv[1:], func=PASS_THROUGH[argv[0]])
    else:
        args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except UserError as exc:
        print(_("payung: {message}").format(message=exc), file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print(_("payung: dihentikan."), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: say so plainly, without personal data or a traceback
        print(
            _(
                "payung: kesalahan internal ({kind}). Laporkan ke pengelola; "
                "jalankan dengan PAYUNG_DEBUG=1 untuk rinciannya."
            ).format(kind=type(exc).__name__),
            file=sys.stderr,
        )
        if _debug():
            raise
        return EXIT_BUG


def _debug() -> bool:
    import os

    return os.environ.get("PAYUNG_DEBUG") == "1"


if __name__ == "__main__":
    raise SystemExit(main())
