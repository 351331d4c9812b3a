"""A short run of benchmarks/load.py: constant-rate polls and uploads on loopback, zero errors."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.worker import database_url_for_tests

PROJECT_DIR = Path(__file__).resolve().parent.parent.parent


@pytest.mark.serial  # it measures: the parallel part of the suite would load the machine under it
@pytest.mark.django_db(transaction=True)
def test_a_short_constant_rate_load_finishes_with_zero_errors():
    env = {**os.environ, "DATABASE_URL": database_url_for_tests()}
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "benchmarks/load.py", "--rate", "30", "--seconds", "6", "--people", "5"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )

    print(result.stdout)
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "errors  0" in result.stdout and "poll" in result.stdout and "upload" in result.stdout
