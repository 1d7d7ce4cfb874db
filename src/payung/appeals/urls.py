"""Appeals (sanggahan), under ``/sanggahan/`` (namespace ``appeals``)."""

from django.urls import path

from payung.appeals import views

app_name = "appeals"

urlpatterns = [
    path("orang/<int:person_pk>/baru/", views.appeal_create, name="appeal_create"),
    path("<int:pk>/", views.appeal_detail, name="appeal_detail"),
    path("<int:pk>/jawab/", views.appeal_answer, name="appeal_answer"),
    path("tahun/<int:year_pk>/", views.year_list, name="year_list"),
]
