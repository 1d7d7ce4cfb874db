"""Official documents (berita acara, decrees, annexes) rendered from editable templates.

Word documents come from docxtpl templates the legal division can edit; the long PDFs (decree
annex, berita acara) from Typst templates (``typeset``), the other PDFs from HTML through
WeasyPrint. Callers build a context (``contexts``) from the database; this package never
queries it, so a document is a pure function of its context and template.
"""
