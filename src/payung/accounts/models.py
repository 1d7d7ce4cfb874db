"""Users belong to an agency (OPD or BPJS branch); roles are groups (see roles.py)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    """A regional agency (OPD) or the insurer's branch office."""

    class Kind(models.TextChoices):
        DINSOS = "dinsos", _("Dinas Sosial")
        DISDUKCAPIL = "disdukcapil", _("Dinas Kependudukan dan Pencatatan Sipil")
        DISNAKERTRANS = "disnakertrans", _("Dinas Tenaga Kerja dan Transmigrasi")
        BPJS = "bpjs", _("BPJS Ketenagakerjaan")
        INSPEKTORAT = "inspektorat", _("Inspektorat")
        BAPPERIDA = "bapperida", _("Badan Perencanaan Pembangunan Daerah")
        BPKD = "bpkd", _("Badan Pengelola Keuangan Daerah")
        HUKUM = "hukum", _("Bagian Hukum Sekretariat Daerah")
        DISKOMINFO = "diskominfo", _("Dinas Komunikasi dan Informatika")
        TIM = "tim", _("Tim Pasal 10")

    code = models.SlugField(_("kode"), max_length=40, unique=True)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)

    class Meta:
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A civil servant or insurer staff member; ``agency`` scopes what they may see."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("instansi"), null=True, blank=True, on_delete=models.PROTECT
    )
    # Set for accounts whose password someone else has seen (the demo prints them, an admin
    # hands them over): the owner must choose their own before reaching any page.
    must_change_password = models.BooleanField(_("wajib mengganti kata sandi"), default=False)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
