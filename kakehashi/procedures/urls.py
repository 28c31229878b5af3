"""Procedure pages: the definitions in force and what each step asks."""

from django.urls import path

from . import views

app_name = "procedures"

urlpatterns = [
    path("", views.procedure_list, name="list"),
    path("<str:country>/", views.procedure_detail, name="detail"),
]
