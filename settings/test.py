from urllib.parse import urlsplit

from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
if REDIS_URL:  # noqa: F405
    # Each pytest-xdist worker gets a Redis database of its own, so clearing the cache between
    # tests never pulls entries from under another worker.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")  # noqa: F405
    CACHES["default"]["LOCATION"] = urlsplit(REDIS_URL)._replace(path=f"/{1 + int(worker or 0)}").geturl()  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not shared-cache memory: threads in concurrency tests then wait for the write lock
    # as production SQLite does, instead of failing at once with "table is locked".
    # TEST_SQLITE_NAME lets two test runs share a checkout without sharing a database file.
    test_db_name = os.environ.get("TEST_SQLITE_NAME", ".test-db.sqlite3")  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / test_db_name)}  # noqa: F405
