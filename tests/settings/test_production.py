"""The production settings start only with their environment, and then pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "x" * 60 + "-production-secret-for-the-check-only",
    "ALLOWED_HOSTS": "campus.example.org",
    "DATABASE_URL": f"sqlite:///{ROOT / '.test-media' / 'deploy-check.sqlite3'}",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, env):
    # Nothing of the test process's own environment (settings module, async override) leaks in.
    inherited = set(PRODUCTION_ENV) | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_without_warnings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_missing_environment_variable_stops_start_up_with_a_clear_message():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Missing environment variable(s) for production: SECRET_KEY" in result.stderr


def test_static_files_use_compressed_manifest_storage():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.STORAGES['staticfiles']['BACKEND'])",
        env=PRODUCTION_ENV,
    )
    assert result.stdout.strip().splitlines()[-1] == "whitenoise.storage.CompressedManifestStaticFilesStorage", (
        result.stderr
    )
