from django.urls import path

from . import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list_view, name="list"),
    path("search/", views.case_search_view, name="search"),
    path("new/", views.case_new_view, name="new"),
    path("<int:case_id>/", views.case_detail_view, name="detail"),
    path(
        "<int:case_id>/steps/<slug:step_key>/", views.case_complete_step_view, name="complete_step"
    ),
    path("<int:case_id>/withdraw/", views.case_withdraw_view, name="withdraw"),
    path("<int:case_id>/checklist.pdf", views.case_checklist_pdf_view, name="checklist_pdf"),
    path("<int:case_id>/documents/", views.case_document_upload_view, name="document_upload"),
    path(
        "<int:case_id>/documents/<int:document_id>/",
        views.case_document_view,
        name="document",
    ),
    path(
        "<int:case_id>/documents/<int:document_id>/review/",
        views.case_document_review_view,
        name="document_review",
    ),
    path("<int:case_id>/fees/", views.case_fee_view, name="fee"),
    path("<int:case_id>/return/", views.case_return_view, name="return"),
    path(
        "<int:case_id>/fees/<int:fee_id>/acknowledge/",
        views.case_fee_acknowledge_view,
        name="fee_acknowledge",
    ),
]
