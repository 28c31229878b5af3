"""Personal-data pages. Only ids in the paths: no personal data enters a URL."""

from django.urls import path

from . import views

app_name = "privacy"
urlpatterns = [
    path("my-data/", views.my_data_view, name="my_data"),
    path("my-data/data.json", views.my_data_json_view, name="my_data_json"),
    path("my-data/data.pdf", views.my_data_pdf_view, name="my_data_pdf"),
    path("my-data/contact/", views.my_contact_view, name="my_contact"),
    path("my-data/corrections/", views.my_correction_view, name="my_correction"),
    path("persons/<int:person_id>/", views.person_view, name="person"),
    path(
        "persons/<int:person_id>/data.json",
        views.person_export_view,
        {"fmt": "json"},
        name="person_json",
    ),
    path(
        "persons/<int:person_id>/data.pdf",
        views.person_export_view,
        {"fmt": "pdf"},
        name="person_pdf",
    ),
    path(
        "persons/<int:person_id>/corrections/<int:correction_id>/",
        views.correction_decide_view,
        name="correction_decide",
    ),
    path("persons/<int:person_id>/erase/", views.person_erase_view, name="erase"),
    path("incidents/", views.incident_list_view, name="incidents"),
    path("incidents/new/", views.incident_new_view, name="incident_new"),
    path("incidents/<int:incident_id>/", views.incident_view, name="incident"),
]
