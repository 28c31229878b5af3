from django.urls import path

from . import views

app_name = "registries"
urlpatterns = [
    path("", views.registries_home, name="home"),
    path("agencies/<int:agency_id>/", views.agency_view, name="agency"),
    path("agencies/<int:agency_id>/decide/", views.agency_decide_view, name="decide"),
    path("agencies/<int:agency_id>/apply/", views.agency_apply_view, name="apply"),
    path("agencies/<int:agency_id>/disclose/", views.agency_disclose_view, name="disclose"),
    path("japan/", views.japan_view, name="japan"),
    path("notices/<int:notice_id>/acknowledge/", views.notice_acknowledge_view, name="acknowledge"),
]
