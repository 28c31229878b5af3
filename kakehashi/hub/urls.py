from django.urls import path

from . import views

app_name = "hub"
urlpatterns = [
    path("needs/", views.needs_view, name="needs"),
    path("needs/<int:need_id>/", views.need_view, name="need"),
    path(
        "needs/<int:need_id>/candidates/<int:candidate_id>/open-case/",
        views.match_open_view,
        name="open_case",
    ),
    path(
        "needs/<int:need_id>/candidates/<int:candidate_id>/present/",
        views.match_present_view,
        name="present",
    ),
    path("partners/", views.partners_view, name="partners"),
    path("partners/candidates/<int:candidate_id>/consent/", views.consent_view, name="consent"),
    path("confirmations/", views.confirmations_view, name="confirmations"),
    path("exchange/", views.exchange_view, name="exchange"),
    path("exchange/<slug:kind>/", views.exchange_record_view, name="exchange_record"),
    path("programmes/open/", views.programme_open_view, name="programme_open"),
    path("programmes/", views.programmes_view, name="programmes"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("statistics/<slug:key>.csv", views.statistics_csv_view, name="statistics_csv"),
]
