"""`.env` beside the project sets every setting, the run folder (VAR_DIR) included, while the real
environment still wins. Checked on a copy of the settings package, so this checkout's `.env` (if any)
is never touched."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import timedoctor

PRINT_SETTINGS = (
    "import json, timedoctor.settings as s; "
    "print(json.dumps({'var': str(s.VAR_DIR), 'db': str(s.DATABASES['default']['NAME'])}))"
)


def _settings_read_from(project, **environment):
    shutil.copytree(Path(timedoctor.__file__).parent, project / "timedoctor")
    clean = {key: value for key, value in os.environ.items() if key not in {"VAR_DIR", "DATABASE_URL", "DEBUG"}}
    completed = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=project,
        env={**clean, "PYTHONPATH": str(project), **environment},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    return json.loads(completed.stdout.strip().splitlines()[-1])


def test_the_env_file_chooses_the_run_folder_and_the_sqlite_file_follows(tmp_path):
    project, run_folder = tmp_path / "project", tmp_path / "elsewhere"
    project.mkdir()
    (project / ".env").write_text(f"DEBUG=true\nSECRET_KEY=x\nVAR_DIR={run_folder}\n")

    settings = _settings_read_from(project)

    assert settings["var"] == str(run_folder) and run_folder.is_dir()
    assert settings["db"] == str(run_folder / "db.sqlite3")


def test_the_environment_wins_over_the_env_file(tmp_path):
    project, from_file, from_environment = tmp_path / "project", tmp_path / "from-file", tmp_path / "from-env"
    project.mkdir()
    (project / ".env").write_text(f"DEBUG=true\nSECRET_KEY=x\nVAR_DIR={from_file}\n")

    settings = _settings_read_from(project, VAR_DIR=str(from_environment))

    assert settings["var"] == str(from_environment) and not from_file.exists()
