"""The procedures app keeps no data of its own: an SOP is a Document (documents app) made from
the workflow's tables. This model exists only to declare who may have the SOPs generated."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class StandardProcedure(models.Model):
    """No table: the permission's holder only (Pekalongan minutes item 5)."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("standar operasional prosedur")
        permissions = [("generate_sop", _("Dapat membuat dokumen SOP perangkat daerah"))]
