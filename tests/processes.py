"""Running manage.py in a process of its own, as a server or an operator would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Production settings with the least a deployment must set.
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-checks-0123456789",
    "ALLOWED_HOSTS": "mutuals.example.org",
    "DATABASE_URL": f"sqlite:///{ROOT / 'db.sqlite3'}",
    "PATH": os.environ["PATH"],
}


def manage(*args, env, **kwargs):
    """Run `manage.py *args` with exactly the environment `env`; the finished process."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        **kwargs,
    )
