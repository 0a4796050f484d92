from django.urls import path

from . import live_views as views

app_name = "live"

urlpatterns = [
    path("schedule/", views.my_schedule, name="my_schedule"),
    path("calendar/reset/", views.reset_feed, name="reset_feed"),
    path("calendar/<str:token>.ics", views.feed, name="feed"),
    path("offering/<slug:slug>/schedule/", views.schedule_series, name="schedule_series"),
    path("<uuid:uid>/", views.session_detail, name="session"),
    path("<uuid:uid>.ics", views.session_ics, name="session_ics"),
    path("<uuid:uid>/join/", views.join, name="join"),
    path("<uuid:uid>/manage/", views.manage, name="manage"),
    path("<uuid:uid>/attendance/", views.correct_attendance, name="attendance"),
]
