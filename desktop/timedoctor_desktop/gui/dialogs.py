"""Questions the window asks: sign in, an entry left open by a closed app, idle time."""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
)

from ..api import ApiError, NotSignedIn, Unreachable


class SignInDialog(QDialog):
    """The server's address and an app token made on its "Desktop app" page."""

    def __init__(self, tracker, parent=None):
        super().__init__(parent)
        self.tracker = tracker
        self.setWindowTitle("Sign in to Timedoctor")
        self.server = QLineEdit(tracker.server_url or "")
        self.server.setPlaceholderText("https://time.example.com")
        self.token = QLineEdit()
        self.token.setEchoMode(QLineEdit.EchoMode.Password)
        self.token.setPlaceholderText("tdk_…")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        help_text = QLabel("Make an app token on the web: <b>Desktop app</b> in the left menu, then paste it here.")
        help_text.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Server", self.server)
        form.addRow("App token", self.token)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (help_text, form, self.problem, buttons):
            (layout.addLayout if isinstance(widget, QFormLayout) else layout.addWidget)(widget)

    def sign_in(self):
        try:
            self.tracker.sign_in(self.server.text(), self.token.text().strip())
        except NotSignedIn:
            self.problem.setText("The server refused this token: it is unknown or was revoked.")
        except Unreachable as error:
            self.problem.setText(f"The server cannot be reached: {error}")
        except ApiError as error:
            self.problem.setText(error.message)
        else:
            self.accept()


def recovery_box(entry, parent):
    """Asks what to do with an entry whose app was closed or crashed while it ran."""
    box = QMessageBox(parent)
    box.setWindowTitle("A timer was left running")
    since = entry.started_at.astimezone().strftime("%H:%M")
    last = entry.heartbeat_at.astimezone().strftime("%H:%M:%S")
    box.setText(
        f"The timer on “{entry.task_title or 'No task'}” started at {since} was still running when the "
        f"app closed. It was last seen running at {last}."
    )
    box.setInformativeText("Keep the time until then, discard the entry, or resume it (the time since counts).")
    box.keep = box.addButton("Keep until " + last, QMessageBox.ButtonRole.AcceptRole)
    box.discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.resume = box.addButton("Resume", QMessageBox.ButtonRole.ActionRole)
    return box


def idle_box(spell, parent):
    """Asks, once the person is back, whether the time without input counts."""
    box = QMessageBox(parent)
    box.setWindowTitle("You were away")
    box.setText(
        f"No keyboard or mouse input from {spell.started_at.astimezone():%H:%M} to "
        f"{spell.ended_at.astimezone():%H:%M} ({spell.minutes} min)."
    )
    box.setInformativeText("Does that time count?")
    box.count = box.addButton("Count it", QMessageBox.ButtonRole.AcceptRole)
    box.leave_out = box.addButton("Leave it out", QMessageBox.ButtonRole.RejectRole)
    return box
