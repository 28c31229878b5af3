"""Person pages. Only ids in the paths: names and other personal data never enter a URL."""

from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("", views.person_list_page, name="list"),
    path("search/", views.person_search, name="search"),
    path("new/", views.person_new, name="new"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("<int:person_id>/edit/", views.person_edit, name="edit"),
    path("<int:person_id>/reveal/<slug:field>/", views.person_reveal, name="reveal"),
    path("<int:person_id>/tests/", views.person_add_test, name="add_test"),
    path(
        "<int:person_id>/tests/<int:result_id>/confirm/",
        views.person_confirm_test,
        name="confirm_test",
    ),
    path("<int:person_id>/present/", views.person_present_page, name="present"),
    path("<int:person_id>/invite/", views.person_invite, name="invite"),
]
