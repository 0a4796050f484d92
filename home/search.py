"""Site search over courses, modules, lectures and the glossary, in the reader's language."""

from wagtail.models import Locale

from course.models import CoursePage, ModulePage
from lessons.glossary import matching_term_ids
from lessons.models import GlossaryTerm, LecturePage
from network.i18n import localized_with_fallback

MAX_RESULTS = 200


def search_site(query):
    locale = Locale.get_active()

    def pages(model):
        return list(model.objects.live().public().filter(locale=locale).search(query)[:MAX_RESULTS])

    terms = localized_with_fallback(GlossaryTerm.objects.filter(pk__in=matching_term_ids(query)), locale)
    return {
        "courses": pages(CoursePage),
        "modules": pages(ModulePage),
        "lectures": pages(LecturePage),
        "terms": list(terms.order_by("term")[:20]),
    }
