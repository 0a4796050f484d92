from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page

from home import navigation, page_tree, sites

register = template.Library()


@register.inclusion_tag("home/includes/language_switcher.html", takes_context=True)
def language_switcher(context, page=None):
    """Links to the current page in every site language; a language without a translation links to
    the same address in that language, where the source page is served with a notice."""
    request = context["request"]
    if not isinstance(page, Page):
        page = None
    current = translation.get_language()
    translations = {}
    if page is not None:
        # Only their URLs are shown: their bodies need not be loaded and decoded.
        for candidate in page.get_translations(inclusive=True).live().defer_streamfields().select_related("locale"):
            translations[candidate.locale.language_code] = candidate
    links = []
    for code, name in settings.LANGUAGES:
        if code in translations:
            url = translations[code].get_url(request)
        elif page is not None:
            url = _same_path_in(code, page, request)
        else:
            url = _same_view_in(code, request)
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {"links": links, "current": current}


def _same_path_in(code, page, request):
    url_parts = page.get_url_parts(request)
    if url_parts is None:
        return None
    _, _, page_path = url_parts
    with translation.override(code):
        prefix = reverse("wagtail_serve", args=[""])
    # page_path starts with the page's own language prefix ("/en/..."); swap it for the target's.
    return prefix + page_path.lstrip("/").split("/", 1)[-1]


def _same_view_in(code, request):
    match = request.resolver_match
    if match is None or not match.url_name:
        return f"/{code}/"
    with translation.override(code):
        url = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    query = request.GET.urlencode()
    return f"{url}?{query}" if query else url


@register.inclusion_tag("home/includes/translation_notice.html", takes_context=True)
def translation_notice(context, page):
    """Says so when the reader is shown the source text because the page is not translated yet."""
    request = context["request"]
    content_locale_id = page_tree.alias_source_locale_id(request, page) if page.alias_of_id else page.locale_id
    reader_language = translation.get_language()
    content_language = sites.language_code_of(request, content_locale_id) or reader_language
    return {
        "missing": content_language != reader_language,
        "content_language": content_language,
        "content_language_name": dict(settings.LANGUAGES).get(content_language, content_language),
    }


@register.simple_tag(takes_context=True)
def ancestors_of(context, page):
    """``page.get_ancestors``, from the lineage the request loaded to route the page and check its
    view restrictions."""
    if not isinstance(page, Page):
        return []
    if page.pk is None:  # a preview of a page not saved yet
        return page.get_ancestors()
    return page_tree.lineage(context["request"], page)[:-1]


@register.simple_tag(takes_context=True)
def main_navigation(context):
    return navigation.main_navigation(context["request"])


@register.simple_tag
def count_for(counts, language, status):
    return counts.get(language, {}).get(status, 0)


@register.simple_tag
def status_for(row, language):
    return row.statuses.get(language)


@register.simple_tag
def status_label(labels, status):
    return labels.get(status, status)
