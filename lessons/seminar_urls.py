from django.urls import path

from . import seminar_views as views

app_name = "seminars"

urlpatterns = [
    path("<int:series_id>/register/", views.register, name="register"),
    path("<int:series_id>/join/", views.join, name="join"),
    path("<int:series_id>/registered/", views.registered, name="registered"),
    path("<int:series_id>/participants/", views.participants, name="participants"),
    path("<int:series_id>/manage/", views.manage, name="manage"),
    path("<int:series_id>/invitations/", views.invite, name="invite"),
    path("<int:series_id>/presentations/<int:pk>/decide/", views.decide, name="decide"),
    path("sessions/<int:session_id>/attendance/", views.attendance, name="attendance"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("registration/<str:token>/", views.registration, name="registration"),
    path("registration/<str:token>/cancel/", views.cancel, name="cancel"),
    path("registration/<str:token>/propose/", views.propose, name="propose"),
    path("registration/<str:token>/presentations/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("presentations/<int:pk>/slides/", views.slides, name="slides"),
]
