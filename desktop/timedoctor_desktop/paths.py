"""Where the app keeps its journal, task cache, settings and (without a keyring) its token."""

import os
import sys
from pathlib import Path

HOME_ENV = "TIMEDOCTOR_DESKTOP_HOME"
APP_DIR_NAME = "timedoctor-desktop"


def platform_data_dir():
    """The platform's per-user data folder for this app."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
        return base / "Timedoctor Desktop"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Timedoctor Desktop"
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / APP_DIR_NAME


def data_dir(override=None):
    """The folder in use: an explicit option, else $TIMEDOCTOR_DESKTOP_HOME, else the platform's."""
    chosen = Path(override or os.environ.get(HOME_ENV) or platform_data_dir()).expanduser()
    chosen.mkdir(parents=True, exist_ok=True, mode=0o700)
    return chosen
