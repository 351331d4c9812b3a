"""Starts the window: sign in if needed, settle an entry left open, then the event loop."""

import sys

from PySide6.QtWidgets import QApplication, QDialog, QSystemTrayIcon

from .dialogs import SignInDialog
from .tray import Tray
from .window import MainWindow


def make_window(tracker, app, **options):
    """The window, with a tray icon where the platform has a system tray."""
    tray = Tray(app) if QSystemTrayIcon.isSystemTrayAvailable() else None
    window = MainWindow(tracker, tray=tray, **options)
    if tray is not None:
        tray.attach(window)
        tray.show()
        app.setQuitOnLastWindowClosed(False)  # closing the window leaves the tray icon
    return window


def run(tracker, **options):
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Timedoctor")
    if not tracker.server_url or tracker.me is None:
        if SignInDialog(tracker).exec() != QDialog.DialogCode.Accepted:
            return 1
    window = make_window(tracker, app, **options)
    window.show()
    window.offer_recovery()
    window.background.refresh_tasks()
    return app.exec()
