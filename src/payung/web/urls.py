"""Root URLs: one include per app; each app owns its namespace."""

from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic.base import RedirectView

from payung.web import views

# The root URLconf's own pages live in the "web" namespace (an app_name here is ignored).
web_patterns = (
    [
        path("", views.home, name="home"),
        # Browsers ask for /favicon.ico whatever a page links: send them to the shipped icon
        # (resolved per request: the hashed name exists only after collectstatic).
        path(
            "favicon.ico",
            RedirectView.as_view(
                url=lazy(static, str)("payung/favicon.svg"),
                permanent=True,
                http_method_names=["get", "head"],
            ),
            name="favicon",
        ),
    ],
    "web",
)

# One log line per refusal, without traceback or query string (views.permission_denied).
handler403 = "payung.web.views.permission_denied"

urlpatterns = [
    path("", include(web_patterns)),
    path("akun/", include("payung.accounts.urls")),
    path("audit/", include("payung.audit.urls")),
    path("pendataan/", include("payung.registry.urls")),
    path("penyaringan/", include("payung.screening.urls")),
    path("penetapan/", include("payung.participants.urls")),
    path("daftar-lain/", include("payung.linkage.urls")),
    path("verifikasi/", include("payung.verification.urls")),
    path("keputusan/", include("payung.decrees.urls")),
    path("pendaftaran/", include("payung.enrollment.urls")),
    path("iuran/", include("payung.contributions.urls")),
    path("akhir/", include("payung.ends.urls")),
    path("lanjutan/", include("payung.renewal.urls")),
    path("dokumen/", include("payung.documents.urls")),
    path("sanggahan/", include("payung.appeals.urls")),
    path("orang/", include("payung.people.urls")),
    path("monitoring/", include("payung.monitoring.urls")),
    path("perencanaan/", include("payung.planning.urls")),
    path("pengawasan/", include("payung.supervision.urls")),
    path("sop/", include("payung.procedures.urls")),
]
