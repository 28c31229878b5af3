"""The public job board (no sign-in). The JSON and CSV URLs are stable: other sites may
link to them or read them."""

from django.urls import path

from . import public_views

app_name = "jobs"

urlpatterns = [
    path("", public_views.board, name="board"),
    path("offers.json", public_views.board_json, name="board_json"),
    path("offers.csv", public_views.board_csv, name="board_csv"),
    path("<int:offer_id>/", public_views.offer_page, name="offer"),
]
