from .base import *  # noqa: F403

SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / ".test-media"  # noqa: F405
if REDIS_URL:  # noqa: F405
    # Tests share the Redis server with nothing else of ours, but keep their keys apart anyway.
    CACHES["default"]["KEY_PREFIX"] = "test"  # noqa: F405
