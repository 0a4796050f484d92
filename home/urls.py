from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from . import views

urlpatterns = [
    path("healthz/", views.healthz, name="healthz"),
    path("admin/login/", views.admin_sign_in, name="admin_sign_in"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += i18n_patterns(
    path("search/", views.search, name="search"),
    path("accounts/", include("network.urls")),
    path("accounts/", include("allauth.urls")),
    path("offerings/", include("course.urls")),
    path("learning/", include("course.learning_urls")),
    path("learning/lectures/", include("lessons.urls")),
    path("certificates/", include("network.certificate_urls")),
    path("sessions/", include("lessons.live_urls")),
    path("seminars/", include("lessons.seminar_urls")),
    path("capture/", include("assessments.capture_urls")),
    path("quizzes/", include("assessments.urls")),
    path("institutions/", include("network.institution_urls")),
    path("invitations/", include("network.invitation_urls")),
    path("ecosystem/", include("network.ecosystem_urls")),
    path("adoptions/", include("course.adoption_urls")),
    # Wagtail's own front-end routes (login and password forms for restricted pages), minus its
    # page-serving pattern, which is ours below.
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    # Wagtail looks pages up by this name when it builds their URLs.
    re_path(r"^((?:[\w\-]+/)*)$", views.serve_page, name="wagtail_serve"),
    prefix_default_language=True,
)
