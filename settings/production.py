"""Production: every secret and host comes from the environment; a missing one stops start-up."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403

REQUIRED = ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL")
missing = [name for name in REQUIRED if not os.environ.get(name)]  # noqa: F405
if missing:
    raise ImproperlyConfigured(
        "Missing environment variable(s) for production: " + ", ".join(missing)
    )

DEBUG = False
STORAGES["staticfiles"]["BACKEND"] = "whitenoise.storage.CompressedManifestStaticFilesStorage"  # noqa: F405

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")  # noqa: F405
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")  # noqa: F405
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))  # noqa: F405
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")  # noqa: F405
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")  # noqa: F405
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "true").lower() == "true"  # noqa: F405
SERVER_EMAIL = DEFAULT_FROM_EMAIL  # noqa: F405

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "true").lower() == "true"  # noqa: F405
# /healthz/ is probed by the load balancer over plain HTTP inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))  # noqa: F405
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_TRUSTED_ORIGINS = [f"https://{host}" for host in ALLOWED_HOSTS if not host.startswith(".")]  # noqa: F405
