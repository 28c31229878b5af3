from django.urls import path

from . import views

app_name = "support"
urlpatterns = [
    path("", views.work_view, name="work"),
    path("plans/<int:plan_id>/", views.plan_view, name="plan"),
    path("plans/<int:plan_id>/items/<slug:key>/", views.item_view, name="item"),
    path("plans/<int:plan_id>/interviews/", views.interview_view, name="interview"),
]
