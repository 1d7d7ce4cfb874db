"""Root URLs: one include per app; each app owns its namespace."""

from django.urls import include, path

from payung.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("akun/", include("payung.accounts.urls")),
    path("audit/", include("payung.audit.urls")),
    path("pendataan/", include("payung.registry.urls")),
    path("penyaringan/", include("payung.screening.urls")),
]
