"""One person's pages, under ``/orang/`` (namespace ``people``): the search and the journey."""

from django.urls import path

from payung.people import views

app_name = "people"

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("cari/", views.person_search, name="person_search"),
    path("<int:pk>/", views.person_detail, name="person_detail"),
    path("<int:pk>/kpj/", views.reveal_kpj, name="reveal_kpj"),
    path("<int:pk>/catatan-data/", views.person_record, name="person_record"),
]
