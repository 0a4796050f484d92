"""View decorators every app shares."""

from functools import wraps

from django.views.decorators.cache import never_cache


def private(view):
    """Pages whose address is a credential (a registration or invitation link): kept out of caches,
    and never passed on to other sites in a Referer header."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = never_cache(view)(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapper
