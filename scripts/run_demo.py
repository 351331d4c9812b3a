"""`make run`: the whole product on embedded defaults, no external service needed.

Migrates a SQLite database, seeds the demo company, then runs four processes side by side until
Ctrl+C: the Pivotal Tracker and GitHub emulators with matching demo data, a real Celery worker
(with beat, on kombu's filesystem broker) and the web server.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
WEB_PORT = os.environ.get("WEB_PORT", "8000")
EMULATOR_PORT = os.environ.get("EMULATOR_PORT", "8111")
GITHUB_EMULATOR_PORT = os.environ.get("GITHUB_EMULATOR_PORT", "8112")

ENV = {
    **os.environ,
    "DEBUG": os.environ.get("DEBUG", "true"),
    "DJANGO_SETTINGS_MODULE": "timedoctor.settings",
    "PIVOTAL_API_URL": os.environ.get("PIVOTAL_API_URL", f"http://127.0.0.1:{EMULATOR_PORT}/services/v5"),
    "GITHUB_API_URL": os.environ.get("GITHUB_API_URL", f"http://127.0.0.1:{GITHUB_EMULATOR_PORT}"),
    "SITE_URL": os.environ.get("SITE_URL", f"http://127.0.0.1:{WEB_PORT}"),
    "PYTHONUNBUFFERED": "1",
}


def run(*args):
    subprocess.run([sys.executable, *args], cwd=PROJECT_DIR, env=ENV, check=True)


def start(name, *args):
    print(f"→ starting {name}: {' '.join(args)}", flush=True)
    return name, subprocess.Popen([sys.executable, *args], cwd=PROJECT_DIR, env=ENV)


def main():
    run("manage.py", "migrate", "--noinput", "-v", "0")
    run("manage.py", "seed_demo", "--pivotal-url", ENV["PIVOTAL_API_URL"], "--github-url", ENV["GITHUB_API_URL"])
    processes = [
        start("Pivotal emulator", "-m", "integrations.providers.pivotal.emulator", "--port", EMULATOR_PORT, "--demo"),
        start(
            "GitHub emulator", "-m", "integrations.providers.github.emulator", "--port", GITHUB_EMULATOR_PORT, "--demo"
        ),
        start(
            "Celery worker and beat",
            "-m",
            "celery",
            "-A",
            "timedoctor",
            "worker",
            "--beat",
            "--loglevel=INFO",
            "--concurrency=2",
        ),
        start("web server", "manage.py", "runserver", f"127.0.0.1:{WEB_PORT}", "--noreload"),
    ]
    print(
        f"\nOpen http://127.0.0.1:{WEB_PORT}/ and sign in with one of the accounts above. Ctrl+C stops everything.\n",
        flush=True,
    )
    stop = False

    def request_stop(*_):
        nonlocal stop
        stop = True

    signal.signal(signal.SIGTERM, request_stop)
    try:
        while not stop:
            for name, process in processes:
                if process.poll() is not None:
                    print(f"{name} exited with code {process.returncode}; stopping the others.", flush=True)
                    stop = True
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for _, process in processes:
            if process.poll() is None:
                process.terminate()
        for _, process in processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
