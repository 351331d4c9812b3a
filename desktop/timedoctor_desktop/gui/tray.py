"""The tray icon, where the platform has a system tray: the state at a glance, start/stop, quit."""

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon


def dot_icon(colour):
    pixmap = QPixmap(64, 64)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(6, 6, 52, 52)
    painter.end()
    return QIcon(pixmap)


class Tray(QSystemTrayIcon):
    RUNNING, STOPPED = "#1a7f37", "#6e7781"

    def __init__(self, app):
        super().__init__(dot_icon(self.STOPPED))
        self.window = None
        self.menu = QMenu()
        self.toggle = QAction("Start", self.menu)
        self.show_window = QAction("Show the window", self.menu)
        self.quit = QAction("Quit", self.menu)
        self.quit.triggered.connect(app.quit)
        for action in (self.toggle, self.show_window, self.quit):
            self.menu.addAction(action)
        self.setContextMenu(self.menu)
        self.setToolTip("Timedoctor")

    def attach(self, window):
        self.window = window
        self.toggle.triggered.connect(window.toggle_timer)
        self.show_window.triggered.connect(lambda: (window.showNormal(), window.raise_(), window.activateWindow()))
        self.activated.connect(lambda reason: window.showNormal() if reason == self.ActivationReason.Trigger else None)

    def show_state(self, running, clock_text):
        self.toggle.setText("Stop" if running else "Start")
        self.setIcon(dot_icon(self.RUNNING if running else self.STOPPED))
        self.setToolTip(
            f"Timedoctor: {running.task_title or 'No task'} {clock_text}" if running else "Timedoctor: not tracking"
        )
