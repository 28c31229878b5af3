"""Bulk import pages (docs/architecture.md, "Bulk import")."""

from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_new, name="new"),
    path("<int:job_id>/", views.import_detail, name="detail"),
]
