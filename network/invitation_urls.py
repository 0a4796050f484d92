from django.urls import path

from . import invitation_views as views

app_name = "invitations"

urlpatterns = [
    path("accept/<str:token>/", views.accept, name="accept"),
    path("<slug:kind>/<int:pk>/", views.invitation_list, name="list"),
    path("<slug:kind>/<int:pk>/invite/", views.invite, name="invite"),
    path("<slug:kind>/<int:pk>/upload/", views.upload, name="upload"),
    path("<slug:kind>/<int:pk>/example.csv", views.example_csv, name="example_csv"),
    path("<slug:kind>/<int:pk>/<int:invitation_id>/revoke/", views.revoke, name="revoke"),
]
