from django.urls import path

from . import views

app_name = "course"

urlpatterns = [
    path("<slug:slug>/", views.offering_detail, name="offering"),
    path("<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/participants/", views.participant_list, name="participants"),
    path("<slug:slug>/participants.csv", views.participant_csv, name="participants_csv"),
    path("<slug:slug>/participants/<int:pk>/approve/", views.approve, name="approve"),
]
