import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_urls():
    # A request in another language leaves that language active in the thread; reverse() follows it.
    with translation.override("en"):
        yield
