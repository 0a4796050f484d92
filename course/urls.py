from django.urls import path

from . import hosting_views, views

app_name = "course"

urlpatterns = [
    path("hosted-by/<slug:short_name>/", hosting_views.hosted_offerings, name="hosted_offerings"),
    path("hosted-by/<slug:short_name>/new/", hosting_views.create_offering, name="create_hosted_offering"),
    path("hosted-by/<slug:short_name>/<slug:slug>/edit/", hosting_views.edit_offering, name="edit_hosted_offering"),
    path("<slug:slug>/", views.offering_detail, name="offering"),
    path("<slug:slug>/enrol/", views.enrol, name="enrol"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/participants/", views.participant_list, name="participants"),
    path("<slug:slug>/participants.csv", views.participant_csv, name="participants_csv"),
    path("<slug:slug>/participants/<int:pk>/approve/", views.approve, name="approve"),
]
