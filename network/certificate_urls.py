from django.urls import path

from . import certificate_views as views

app_name = "certificates"

urlpatterns = [
    path("<uuid:code>/", views.verify, name="verify"),
    path("<uuid:code>/certificate.pdf", views.pdf, name="pdf"),
    path("<uuid:code>/revoke/", views.revoke, name="revoke"),
]
