import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache outlives each test's database transaction; start every test without it.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _source_language():
    # A request or a test may leave another language active on this thread; the next test on the
    # same worker must start in the source language, whatever order the tests run in.
    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture
def site_tree(db):
    from tests.factories import make_site

    return make_site()


@pytest.fixture
def course_tree(site_tree):
    from tests.factories import make_course

    return make_course(site_tree, modules=2, lectures_per_module=3)


@pytest.fixture
def cast(site_tree):
    """Universities A and B and one person per role of the permission matrix (tests/cast.py)."""
    from tests.cast import make_cast

    return make_cast(site_tree)
