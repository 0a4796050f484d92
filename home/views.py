from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db import DatabaseError, connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.views import serve as wagtail_serve

from .page_tree import check_restrictions_from_lineage
from .routing import route_by_path
from .search import search_site
from .sites import default_language_code


def admin_sign_in(request):
    """Wagtail's own sign-in form is not rate-limited; send every admin sign-in, GET or POST, to
    the site's (allauth) form, which is, and come back to the admin afterwards."""
    back = request.GET.get("next") or "/admin/"
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = "/admin/"
    return redirect(f"{reverse('account_login')}?{urlencode({'next': back})}")


@never_cache
@require_GET
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def serve_page(request, path):
    """Wagtail's page serving, except that a page missing from the reader's language tree is served
    from the source tree (its template then says it is not translated yet) instead of a 404."""
    _route(request, path)
    try:
        return wagtail_serve(request, path)
    except Http404:
        source_language = default_language_code(request)
        if get_language() == source_language:
            raise
    # Route through the source tree with every serve hook (view restrictions included); the
    # response renders later, in the reader's language.
    request.__dict__.pop("_wagtail_route_for_request", None)
    with translation.override(source_language):
        _route(request, path)
        return wagtail_serve(request, path)


def _route(request, path):
    route = route_by_path(request, path)
    if route is not None:
        # Wagtail's serve() reads the route from here before walking the tree itself.
        request._wagtail_route_for_request = route
        check_restrictions_from_lineage(request, route.page)


@require_GET
def search(request):
    query = " ".join(request.GET.get("q", "").split())[:100]
    results = search_site(query) if query else None
    lectures = Paginator(results["lectures"], 20).get_page(request.GET.get("page")) if results else None
    return render(
        request,
        "home/search.html",
        {"query": query, "query_string": urlencode({"q": query}), "results": results, "lectures": lectures},
    )
