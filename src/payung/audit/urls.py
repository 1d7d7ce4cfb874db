from django.urls import path

from payung.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.entry_list, name="entry_list"),
    path("periksa/", views.chain_check, name="chain_check"),
    path("ekspor/", views.entry_export, name="entry_export"),
]
