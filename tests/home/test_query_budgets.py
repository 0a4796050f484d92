"""Every public page has a query budget that does not grow with the data.

Each page is rendered for an anonymous reader with the page cache off, on a small campus and again
after every list the page shows has grown about fourfold (courses, modules, lectures, glossary
terms, resources, translations, the blocks of a lecture). The budget is the small campus's count
and holds for both: a page that needs more queries once the data grows has an N+1 bug, to be
fixed in the code, never by raising its budget. Timings belong to ``make bench``, not to tests.

Each measured request starts with the cache cleared (the main navigation, Wagtail's site root
paths and image renditions are cached there), after one unmeasured request has created whatever
a first view creates once (image renditions), so the budget is that of a cold but steady site.
"""

from datetime import date

import pytest
from django.core.cache import cache
from django.utils import timezone

from course.models import AccreditationRecord, Enrolment, ModulePage
from home import bench
from lessons.models import LectureCompletion, Resource
from lessons.progress import mark_complete
from tests.factories import (
    make_course,
    make_document,
    make_enrolment,
    make_enrolments,
    make_image,
    make_lecture,
    make_offering,
    make_professor,
    make_resources,
    make_terms,
    translate_page,
    translate_term,
)

pytestmark = pytest.mark.django_db

GROWTH = 4
WORD = "export"  # in the titles of courses, modules, lectures, terms and resources, so searches find them all

# page: (queries, what to request, a fragment repeated once per listed item)
BUDGETS = {
    "home": (10, lambda c: (c.site.home.url, {}), "course-card"),
    "course index": (8, lambda c: (c.site.courses.url, {}), "course-card"),
    "course": (11, lambda c: (c.course.url, {}), "Study time"),
    "module": (9, lambda c: (c.module.url, {}), " min</span>"),
    "lecture": (11, lambda c: (c.lecture.url, {}), 'class="glossary-term"'),
    "glossary": (11, lambda c: (c.site.glossary.url, {}), 'class="glossary-entry"'),
    "glossary search": (15, lambda c: (c.site.glossary.url, {"q": WORD}), 'class="glossary-entry"'),
    "resource library": (12, lambda c: (c.site.library.url, {}), 'class="card resource"'),
    "site search": (16, lambda c: ("/en/search/", {"q": WORD}), "<li><a href="),
}
PROFESSOR_LECTURE_BUDGET = 14
# signed-in page: (queries, user, what to request, a fragment repeated once per listed item)
SIGNED_IN_BUDGETS = {
    "lecture (signed-in student)": (
        15, "student", lambda c: (c.lecture.url, {}), 'class="glossary-term"'),
    "my learning (signed-in student)": (
        20, "student", lambda c: ("/en/learning/", {}), "<progress"),
    "participants (signed-in professor)": (
        16, "professor", lambda c: (f"/en/offerings/{c.offering.slug}/participants/", {}), 'class="participant"'),
}


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 0


class Campus:
    """One course, module and lecture whose pages are measured, in a campus that ``grow()`` enlarges."""

    def __init__(self, site):
        self.site = site
        built = make_course(site, modules=2, lectures_per_module=2, title=f"{WORD.title()} controls")
        self.course, self.module, self.lecture = built.course, built.modules[0], built.lectures[0]
        self.offering = make_offering(self.course)
        self.professor = make_enrolment(self.offering, user=make_professor(), role=Enrolment.Role.PROFESSOR).user
        self.student = make_enrolment(self.offering).user
        mark_complete(self.student, built.lectures[1])
        self.terms = []
        self.media = []
        self.add_terms(5)
        self.add_resources(3)
        self.add_accreditation()
        self.add_lecture_media(1)
        self.set_lecture_body(terms=2)
        # Translating a lecture translates the pages above it too.
        translate_page(self.lecture, "uk", title="Чому контролюють торгівлю")

    def grow(self, factor=GROWTH):
        for n in range(factor - 1):
            make_course(self.site, modules=2, lectures_per_module=1, title=f"{WORD.title()} course {n}")
        modules = ModulePage.objects.child_of(self.course).count()
        for number in range(modules + 1, modules * factor + 1):
            self.course.add_child(instance=ModulePage(
                title=f"Module {number} on {WORD}", slug=f"module-{number}", number=number,
                summary="More.", last_published_at=timezone.now(),
            ))
        lectures = self.module.get_children().count()
        for number in range(lectures + 1, lectures * factor + 1):
            make_lecture(self.module, number=number, title=f"Lecture {number} on {WORD}")
        self.add_terms(len(self.terms) * (factor - 1))
        self.add_resources(Resource.objects.count() * (factor - 1))
        for _ in range(factor - 1):
            self.add_accreditation()
        self.add_lecture_media(len(self.media) * (factor - 1))
        self.set_lecture_body(terms=len(self.lecture_terms) * factor)
        for code in ("ru", "ro", "ka"):
            translate_page(self.lecture, code, title=f"Lecture ({code})")
        LectureCompletion.objects.bulk_create([
            LectureCompletion(enrolment=enrolment, lecture_key=self.lecture.translation_key)
            for enrolment in make_enrolments(self.offering, 50 * factor)
        ])
        make_enrolment(make_offering(self.course), user=self.student)

    def add_terms(self, count):
        new = make_terms(count, prefix=f"{WORD.title()} term")
        for term in new[::2]:
            translate_term(term, "uk", term=f"Термін {term.pk}")
        self.terms += new

    def add_resources(self, count):
        make_resources(count - 1, prefix=f"{WORD.title()} guide", tags=["icp", f"tag-{count}"])
        make_resources(1, prefix=f"{WORD.title()} handbook", document=make_document(), url="", tags=["customs"])

    def add_accreditation(self):
        AccreditationRecord.objects.create(
            course=self.course, agency="Agency", decision_date=date(2024, 1, 1), document=make_document()
        )

    def add_lecture_media(self, count):
        self.media += [(make_image(), make_document()) for _ in range(count)]

    def set_lecture_body(self, terms):
        self.lecture_terms = self.terms[:terms]
        lecture = self.lecture.get_latest_revision_as_object()
        lecture.body = [
            ("heading", "Why controls exist"),
            ("text", "<p>Trade in dual-use items is licensed.</p>"),
            *[("glossary_term", term) for term in self.lecture_terms],
            *[("image", {"image": image, "alt_text": "A chart", "caption": ""}) for image, _ in self.media],
            *[("document", {"document": document, "description": "Slides"}) for _, document in self.media],
            ("case_study", {"title": "A seized shipment", "country": "Georgia", "text": "<p>Customs.</p>"}),
            ("discussion_prompt", {"question": "Who decides?", "guidance": "<p>Regimes.</p>"}),
            ("control_entry", {"regime": "ag", "code": "1C351", "title": "Pathogens", "note": "<p>Why.</p>"}),
        ]
        lecture.save_revision().publish()


@pytest.fixture
def campus(site_tree):
    return Campus(site_tree)


def get_within_budget(client, url, params, budget, assert_max_queries):
    client.get(url, params)  # what a first view creates once (image renditions) is not the page's cost
    cache.clear()
    with assert_max_queries(budget):
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("page", BUDGETS)
def test_page_query_budget_does_not_grow_with_the_data(client, campus, django_assert_max_num_queries, page):
    budget, request_for, item = BUDGETS[page]
    small = get_within_budget(client, *request_for(campus), budget, django_assert_max_num_queries)
    campus.grow()
    large = get_within_budget(client, *request_for(campus), budget, django_assert_max_num_queries)
    # The grown data is on the page, so the second count means something.
    assert large.count(item) > small.count(item) > 0


def test_professor_lecture_query_budget_does_not_grow_with_the_data(client, campus, django_assert_max_num_queries):
    client.force_login(campus.professor)
    url, budget = campus.lecture.url, PROFESSOR_LECTURE_BUDGET
    small = get_within_budget(client, url, {}, budget, django_assert_max_num_queries)
    campus.grow()
    large = get_within_budget(client, url, {}, budget, django_assert_max_num_queries)
    assert "Teaching notes (professors only)" in small
    assert large.count('class="glossary-term"') > small.count('class="glossary-term"')


@pytest.mark.parametrize("page", SIGNED_IN_BUDGETS)
def test_signed_in_query_budgets_do_not_grow_with_the_data(client, campus, django_assert_max_num_queries, page):
    budget, who, request_for, item = SIGNED_IN_BUDGETS[page]
    client.force_login(getattr(campus, who))
    small = get_within_budget(client, *request_for(campus), budget, django_assert_max_num_queries)
    campus.grow()
    large = get_within_budget(client, *request_for(campus), budget, django_assert_max_num_queries)
    assert large.count(item) > small.count(item) > 0


def test_make_bench_counts_queries_as_these_budgets_do(campus, monkeypatch):
    monkeypatch.setattr(bench, "SEARCH_WORD", WORD)
    rows = {row.target.label: row for row in bench.measure_all(runs=1)}
    cold = {label.split(" (")[0]: row.cold.queries for label, row in rows.items() if "signed-in" not in label}
    assert {page: cold[page] for page in BUDGETS} == {page: budget for page, (budget, *_) in BUDGETS.items()}
    assert rows["lecture (signed-in professor)"].cold.queries == PROFESSOR_LECTURE_BUDGET
    assert rows["lecture"].warm.queries == 0  # served from the page cache
    assert rows["bare Django view (baseline)"].cold.queries == 0
