import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The page cache outlives each test's database transaction; start every test without it.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site_tree(db):
    from tests.factories import make_site

    return make_site()


@pytest.fixture
def course_tree(site_tree):
    from tests.factories import make_course

    return make_course(site_tree, modules=2, lectures_per_module=3)
