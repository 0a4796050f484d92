"""The glossary in the reader's language: search and paging."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from wagtail.models import Locale
from wagtail.search.backends import get_search_backend

from network.i18n import localized_with_fallback

from .models import GlossaryTerm

TERMS_PER_PAGE = 50
MAX_QUERY_LENGTH = 100
MAX_MATCHES = 500


def glossary_context(request):
    query = " ".join(request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
    terms = localized_with_fallback(GlossaryTerm.objects.all())
    if query:
        terms = terms.filter(Q(pk__in=matching_term_ids(query)) | Q(control_codes__icontains=query))
    page = Paginator(terms.order_by("term"), TERMS_PER_PAGE).get_page(request.GET.get("page"))
    return {
        "query": query,
        "query_string": urlencode({"q": query}) if query else "",
        "terms": page,
        "source_language": Locale.get_default().language_code,
    }


def matching_term_ids(query):
    """Terms whose name starts with, or whose text contains, the words of ``query``, in any case and script."""
    candidates = GlossaryTerm.objects.filter(
        locale_id__in=[Locale.get_active().pk, Locale.get_default().pk]
    )
    backend = get_search_backend()
    by_name = backend.autocomplete(query, candidates)[:MAX_MATCHES]
    by_text = backend.search(query, candidates, operator="and")[:MAX_MATCHES]
    return {term.pk for term in by_name} | {term.pk for term in by_text}
