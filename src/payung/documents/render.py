"""Turn a document context into file bytes: DOCX through docxtpl, PDF through Typst (the long
lists: decree annex, berita acara; ``typeset``) or WeasyPrint (the other letters).

A document is a pure function of its context (``payung.documents.contexts``) and its
template, so what a regency signs can be produced again from the same data. The Word
templates ship in ``docx/`` and a regency may replace any of them by a file of the same name
in ``<data dir>/templat/`` (docs/documents.md); the PDFs come from Django templates in
``templates/documents/``. Nothing here touches the database or the network: WeasyPrint gets
a URL fetcher that refuses everything but ``data:`` URLs, so a template edited to point at a
web address fails instead of leaking a request (and personal data in it) off the machine.
"""

from __future__ import annotations

import base64
import dataclasses
import io
import os
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from payung.core.formatting import FILTERS, tanggal, terbilang
from payung.documents.contexts import AnnexRow, BeritaAcaraContext, DecreeContext
from payung.documents.typeset import Section, TypesetError, typeset, typst_template

#: What the templates are made from; a template reads the fields of one of these.
DocumentContext = BeritaAcaraContext | DecreeContext

SHIPPED_DIR: Final = Path(__file__).resolve().parent / "docx"
#: Sub-folder of the data directory where a regency keeps its own Word templates.
OVERRIDE_DIR_NAME: Final = "templat"
#: Template names are file stems: lower case, digits and hyphens, so a name can never
#: reach outside the template folders (``../``) whatever a policy file says.
_NAME: Final = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: The DOS epoch: zip entries get it so equal content gives equal bytes (and SHA-256).
_ZIP_EPOCH: Final = (1980, 1, 1, 0, 0, 0)


class DocumentTemplateError(Exception):
    """A template cannot be used: missing, or it breaks when filled in.

    The message is Indonesian and names the template, because the person who has to act
    on it is the regency's IT staff who edited the template, not a developer.
    """


class UnknownTemplateError(DocumentTemplateError, LookupError):
    """No template of that name, neither the regency's own nor a shipped one."""


def shipped_templates() -> list[str]:
    """Names of the Word templates that ship with Payung, sorted."""
    return sorted(path.stem for path in SHIPPED_DIR.glob("*.docx"))


def override_dir() -> Path | None:
    """``<data dir>/templat``, or None when no data directory is known.

    The data directory is ``settings.DATA_DIR`` (itself read from ``PAYUNG_DATA_DIR``) when
    Django is set up, so the web app and the worker agree; scripts without Django fall back
    to the environment variable.
    """
    if settings.configured:
        base = getattr(settings, "DATA_DIR", None)
    else:
        base = os.environ.get("PAYUNG_DATA_DIR")
    return Path(base) / OVERRIDE_DIR_NAME if base else None


def docx_template_path(name: str) -> Path:
    """The Word template to use for ``name``: the regency's own copy wins over the shipped one.

    A name that exists only in the regency's folder is allowed: a policy file may define a
    decree of its own with a template Payung does not ship.

    Raises:
        UnknownTemplateError: no template of that name (or a name that is not a plain stem).
    """
    folder = override_dir()
    if _NAME.fullmatch(name):
        if folder is not None and (folder / f"{name}.docx").is_file():
            return folder / f"{name}.docx"
        if (SHIPPED_DIR / f"{name}.docx").is_file():
            return SHIPPED_DIR / f"{name}.docx"
    where = f" maupun di {folder}" if folder is not None else ""
    raise UnknownTemplateError(
        f"Templat dokumen {name!r} tidak ditemukan, baik di antara templat bawaan{where}. "
        f"Templat bawaan yang tersedia: {', '.join(shipped_templates())}."
    )


def context_dict(context: DocumentContext) -> dict[str, Any]:
    """The context as the nested dicts and lists the templates read (``signer.title``,
    ``r.nama`` in a row loop), with dates left as dates for the ``tanggal`` filter."""
    if not dataclasses.is_dataclass(context) or isinstance(context, type):
        raise TypeError(f"expected a document context dataclass, got {type(context).__name__}")
    return dataclasses.asdict(context)


def _jinja_env() -> SandboxedEnvironment:
    """Jinja for the Word templates: sandboxed, escaping, strict.

    Sandboxed because a regency's template is edited outside the code review; escaping
    because a name with ``&`` or ``<`` would otherwise break the document's XML; strict so a
    mistyped field name stops the document instead of printing a blank in a decree.
    """
    env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
    env.filters.update(FILTERS)
    return env


def docx_freeze(data: bytes) -> bytes:
    """Rewrite a DOCX (a zip) with fixed entry timestamps, keeping the entry order.

    python-docx stamps each entry with the current time; without this, rendering the same
    context twice would give different bytes and a different SHA-256 for the same document.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            target.writestr(entry, source.read(info))
    return out.getvalue()


def docx_render(name: str, context: DocumentContext) -> bytes:
    """Fill the Word template ``name`` with ``context``; the same context gives the same bytes.

    Raises:
        UnknownTemplateError: see ``docx_template_path``.
        DocumentTemplateError: the template does not render (a field it names does not
            exist, a tag is malformed); the message names the template and the file.
    """
    from docxtpl import DocxTemplate

    path = docx_template_path(name)
    template = DocxTemplate(path)
    try:
        template.render(context_dict(context), jinja_env=_jinja_env(), autoescape=True)
    except TemplateError as exc:
        raise DocumentTemplateError(
            f"Templat dokumen {name!r} ({path}) tidak dapat diisi: {exc}. "
            "Periksa nama isian dan tanda {{ }} / {% %} di templat (lihat docs/documents.md)."
        ) from exc
    buffer = io.BytesIO()
    template.save(buffer)
    return docx_freeze(buffer.getvalue())


def _offline_fetcher() -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URLs only; anything else stops the rendering."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


def pdf_html(template_name: str, context: DocumentContext) -> str:
    """The HTML a PDF is made from (``documents/<template_name>.html``), for tests and
    previews; the same context gives the same text."""
    if _NAME.fullmatch(template_name):
        data: Mapping[str, Any] = context_dict(context)
        try:
            return render_to_string(f"documents/{template_name}.html", dict(data))
        except TemplateDoesNotExist as exc:
            if exc.args and exc.args[0] != f"documents/{template_name}.html":
                raise  # an {% include %} inside the template is missing: a bug, not a name
    raise UnknownTemplateError(
        f"Templat PDF {template_name!r} tidak ditemukan (documents/{template_name}.html)."
    )


def _words(values: Any) -> dict[str, str]:
    """``terbilang`` of every whole number a Typst template may spell out (the numbers of the
    context's top level and of its sections), keyed by the number as text."""
    return {str(v): terbilang(v) for v in values if isinstance(v, int) and not isinstance(v, bool)}


def _annex_cells(row: AnnexRow) -> list[Any]:
    return [row.no, row.nama, row.nik, row.pekerjaan, row.desa, row.kecamatan, row.rank]


def _svg_text(chart: dict[str, Any] | None) -> dict[str, Any] | None:
    """A chart for Typst: the SVG itself (Typst draws it) instead of the data: URI."""
    if chart is None:
        return None
    encoded = chart["svg"].split(",", 1)[1]
    return {**chart, "svg": base64.b64decode(encoded).decode("utf-8")}


def _typst_input(template_name: str, context: DocumentContext) -> dict[str, Any]:
    """What ``typeset`` needs for a document kept as a Typst template: the fields without the
    long lists (konteks.json), the list in sections (baris.json), title, mark and date."""
    if isinstance(context, BeritaAcaraContext):
        fields = context_dict(dataclasses.replace(context, candidates=[]))
        fields.update(
            date=tanggal(context.date),
            as_of=tanggal(context.as_of),
            funnel_chart=_svg_text(fields["funnel_chart"]),
            articles_chart=_svg_text(fields["articles_chart"]),
        )
        numbers = list(fields.values())
        sections = [Section("semua", [_annex_cells(r) for r in context.candidates])]
        title = (
            f"Berita Acara Hasil Pendataan Pekerja Rentan {context.region_name} "
            f"Tahun {context.year}"
        )
        return {
            "fields": fields | {"words": _words([*numbers, context.candidate_count])},
            "sections": sections,
            "title": title,
            "mark": context.status,
            "day": context.date,
        }
    if isinstance(context, DecreeContext):
        fields = context_dict(
            dataclasses.replace(context, annex=[], carried_over=[], new_participants=[])
        )
        fields["signed_on"] = tanggal(context.signed_on)
        if context.carried_from_year:
            sections = [
                Section("lanjutan", [_annex_cells(r) for r in context.carried_over]),
                Section("baru", [_annex_cells(r) for r in context.new_participants]),
            ]
        else:
            sections = [Section("semua", [_annex_cells(r) for r in context.annex])]
        numbers = [*fields.values(), *(len(s.rows) for s in sections)]
        return {
            "fields": fields | {"words": _words(numbers)},
            "sections": sections,
            "title": f"{context.annex_title} {context.title}",
            "mark": "RANCANGAN" if context.draft else "",
            "day": None if context.draft else context.signed_on,
        }
    raise TypeError(f"{template_name}: no Typst input for {type(context).__name__}")


def pdf_render(template_name: str, context: DocumentContext) -> bytes:
    """Print ``context`` to PDF: through Typst where ``documents/<template_name>.typ`` exists
    (the long lists: the decree annex, the berita acara; ``typeset``), else through
    WeasyPrint from ``documents/<template_name>.html``.

    WeasyPrint takes 3-7 ms per table row, Typst about a tenth of that (issue 16), so callers
    run this in a background task either way. No wall-clock date or random identifier is
    written: the same context gives the same bytes.
    """
    if _NAME.fullmatch(template_name) and typst_template(template_name) is not None:
        given = _typst_input(template_name, context)
        try:
            return typeset(template=template_name, in_process=True, **given)
        except TypesetError as exc:
            raise DocumentTemplateError(
                f"Templat PDF {template_name!r} ({template_name}.typ) tidak dapat diisi: {exc}"
            ) from exc
    from weasyprint import HTML

    html = pdf_html(template_name, context)
    return HTML(string=html, base_url=None, url_fetcher=_offline_fetcher()).write_pdf()


__all__ = [
    "DocumentContext",
    "DocumentTemplateError",
    "UnknownTemplateError",
    "context_dict",
    "docx_freeze",
    "docx_render",
    "docx_template_path",
    "pdf_html",
    "pdf_render",
    "shipped_templates",
]
