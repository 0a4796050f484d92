"""A whole-response cache for pages read by anonymous visitors.

Wagtail's routing costs several queries before a page even renders; a cached copy skips all of
it. Any content save bumps a generation number that is part of every key, so a published change
is visible at once without tracking which pages it touched.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

GENERATION_KEY = "page-cache:generation"
CACHED_APPS = {"home", "course", "lessons", "network", "assessments", "wagtailcore", "wagtaildocs", "wagtailimages"}
# Saved often and never shown on a cached page (a certificate's verification page is never cached;
# a quiz answer is saved at every change).
UNCACHED_MODELS = {
    "network.profile", "network.certificate", "network.invitation", "network.invitationacceptance",
    "course.enrolment",
    "lessons.lecturecompletion", "lessons.attendance", "lessons.reminderdelivery", "lessons.calendarfeed",
    "lessons.seminarregistration", "lessons.seminarattendance",
    "assessments.attempt", "assessments.response",
    "assessments.captureplan", "assessments.captureitem", "assessments.checkin", "assessments.itemupdate",
    "assessments.itemobstacle",
}
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "X-Frame-Options")


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_cacheable_request(request):
            return self.get_response(request)
        key = f"page-cache:{current_generation()}:{request.get_host()}:{request.path}"
        cached = cache.get(key)
        if cached is not None:
            content, headers = cached
            response = HttpResponse(content, headers=headers)
            response["X-Page-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable_response(request, response):
            cache.set(
                key,
                (response.content, {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Page-Cache"] = "miss"
        return response


def is_cacheable_request(request):
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in ("GET", "HEAD")
        and not request.GET
        and not request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        and not request.COOKIES.get("messages")
    )


def is_cacheable_response(request, response):
    match = getattr(request, "resolver_match", None)
    return (
        match is not None
        and match.url_name == "wagtail_serve"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "private" not in response.get("Cache-Control", "")
    )


def current_generation():
    return cache.get_or_set(GENERATION_KEY, _fresh_generation, None)


def invalidate():
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, _fresh_generation(), None)


def _fresh_generation():
    # A lost counter must never restart at a number whose entries may still be cached.
    return time.time_ns()


@receiver(post_save, dispatch_uid="page_cache_on_save")
@receiver(post_delete, dispatch_uid="page_cache_on_delete")
def invalidate_on_content_change(sender, **kwargs):
    if sender._meta.app_label in CACHED_APPS and sender._meta.label_lower not in UNCACHED_MODELS:
        invalidate()
