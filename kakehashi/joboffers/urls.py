"""Job offer pages for signed-in users. Only ids in the paths."""

from django.urls import path

from . import views

app_name = "joboffers"

urlpatterns = [
    path("", views.offer_list_page, name="list"),
    path("new/", views.offer_new, name="new"),
    path("recruitment-contract/", views.contract_record, name="record_contract_with_center"),
    path("review/", views.review_queue_page, name="review_queue"),
    path("<int:offer_id>/", views.offer_detail, name="detail"),
    path("<int:offer_id>/edit/", views.offer_edit, name="edit"),
    path("<int:offer_id>/submit/", views.offer_submit, name="submit"),
    path("<int:offer_id>/fees/", views.offer_fee, name="fee"),
    path("<int:offer_id>/withdraw/", views.offer_withdraw, name="withdraw"),
    path("<int:offer_id>/review/", views.offer_review, name="review"),
    path("<int:offer_id>/contacts/", views.contact_record, name="record_contact"),
    path(
        "<int:offer_id>/contacts/<int:contact_id>/start-case/",
        views.contact_start_case,
        name="start_case",
    ),
]
