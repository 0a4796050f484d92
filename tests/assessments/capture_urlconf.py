"""The site's URLs with Capacity Capture routed, for tests that run before home/urls.py includes it."""

from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

from home.urls import urlpatterns as site_patterns

urlpatterns = [
    *i18n_patterns(path("capture/", include("assessments.capture_urls")), prefix_default_language=True),
    *site_patterns,
]
