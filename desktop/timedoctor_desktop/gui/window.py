"""The main window: tasks grouped by project with search and the story link, a big start/stop
button, the running clock, today's total, the upload status and what the server refused."""

from datetime import timedelta

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .. import clock
from ..core import describe_refusal
from ..idle import IdleDetector, IdleWatch
from .background import Background
from .dialogs import idle_box, recovery_box

TASK_ID = Qt.ItemDataRole.UserRole
SYNC_EVERY = timedelta(minutes=1)
TASKS_EVERY = timedelta(minutes=5)
IDLE_POLL = timedelta(seconds=5)
START_STYLE = "QPushButton { background: #1a7f37; color: white; border-radius: 6px; }"
STOP_STYLE = "QPushButton { background: #cf222e; color: white; border-radius: 6px; }"


class MainWindow(QMainWindow):
    def __init__(self, tracker, *, idle_detector=None, idle_threshold=timedelta(minutes=5), tray=None):
        super().__init__()
        self.tracker = tracker
        self.background = Background(tracker)
        self.background.synced.connect(self._after_sync)
        self.background.tasks_refreshed.connect(self._after_tasks)
        self.idle = idle_detector or IdleDetector()
        self.idle_watch = IdleWatch(idle_threshold)
        self.tray = tray
        self.open_dialog = None
        self.setWindowTitle("Timedoctor")
        self._build()
        self._start_timers()
        self.show_tasks()
        self.refresh()

    # Layout

    def _build(self):
        me = self.tracker.me or {}
        self.who = QLabel(
            f"{me.get('name') or me.get('email', '')} · {me.get('company', {}).get('name', '')}"
            if me
            else "Not signed in"
        )
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search tasks, projects or story numbers")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.show_tasks)
        self.task_tree = QTreeWidget()
        self.task_tree.setHeaderLabels(["Task", "Story", "State"])
        self.task_tree.setColumnWidth(0, 300)
        self.task_tree.itemSelectionChanged.connect(self._selection_changed)
        self.task_tree.itemDoubleClicked.connect(lambda *_: self.start_selected())
        self.story_link = QLabel()
        self.story_link.setOpenExternalLinks(True)
        self.story_link.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.current = QLabel()
        self.clock = QLabel("0:00:00")
        self.clock.setFont(QFont(self.font().family(), 28, QFont.Weight.Bold))
        self.today = QLabel()
        self.toggle = QPushButton("Start")
        self.toggle.setMinimumHeight(56)
        self.toggle.setFont(QFont(self.font().family(), 16, QFont.Weight.Bold))
        self.toggle.clicked.connect(self.toggle_timer)
        self.switch = QPushButton("Switch to the selected task")
        self.switch.clicked.connect(self.start_selected)
        self.sync_status = QLabel()
        self.sync_status.setWordWrap(True)
        self.sync_now = QPushButton("Sync now")
        self.sync_now.clicked.connect(self.background.refresh_tasks)
        self.idle_status = QLabel(self.idle.reason if not self.idle.available else "")
        self.attention = QListWidget()
        self.attention.setWordWrap(True)
        self.dismiss = QPushButton("Dismiss the selected entry")
        self.dismiss.clicked.connect(self.dismiss_selected)

        clock_row = QHBoxLayout()
        clock_row.addWidget(self.clock)
        clock_row.addStretch()
        clock_row.addWidget(self.today)
        buttons = QHBoxLayout()
        buttons.addWidget(self.toggle, 3)
        buttons.addWidget(self.switch, 2)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.sync_status, 1)
        sync_row.addWidget(self.sync_now)
        self.attention_title = QLabel("<b>The server refused these entries</b> (kept here, not uploaded):")
        layout = QVBoxLayout()
        for part in (
            self.who,
            self.search,
            self.task_tree,
            self.story_link,
            self.current,
            clock_row,
            buttons,
            sync_row,
            self.idle_status,
            self.attention_title,
            self.attention,
            self.dismiss,
        ):
            (layout.addLayout if isinstance(part, QHBoxLayout) else layout.addWidget)(part)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)
        self.resize(560, 640)

    def _start_timers(self):
        self.timers = []
        for every, action in (
            (timedelta(seconds=1), self.refresh),
            (timedelta(seconds=self.tracker.heartbeat_seconds), self.tracker.heartbeat),
            (SYNC_EVERY, self.background.sync),
            (TASKS_EVERY, self.background.refresh_tasks),
            (IDLE_POLL, self.check_idle),
        ):
            timer = QTimer(self)
            timer.timeout.connect(action)
            timer.start(int(every.total_seconds() * 1000))
            self.timers.append(timer)

    # Tasks

    def show_tasks(self):
        selected = self.selected_task_id()
        self.task_tree.clear()
        for project in self.tracker.tasks.search(self.search.text()):
            group = QTreeWidgetItem([project["name"]])
            group.setFlags(group.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            for task in project["tasks"]:
                item = QTreeWidgetItem([task["title"], f"#{task['external_id']}", task.get("state", "")])
                item.setData(0, TASK_ID, task["id"])
                group.addChild(item)
                if task["id"] == selected:
                    item.setSelected(True)
            self.task_tree.addTopLevelItem(group)
        self.task_tree.expandAll()

    def selected_task_id(self):
        items = self.task_tree.selectedItems() if hasattr(self, "task_tree") else []
        return items[0].data(0, TASK_ID) if items else None

    def select_task(self, task_id):
        for index in range(self.task_tree.topLevelItemCount()):
            group = self.task_tree.topLevelItem(index)
            for child in range(group.childCount()):
                item = group.child(child)
                if item.data(0, TASK_ID) == task_id:
                    self.task_tree.setCurrentItem(item)
                    return item
        raise LookupError(task_id)

    def _selection_changed(self):
        task, _ = self.tracker.tasks.find(self.selected_task_id())
        if task and task.get("url"):
            self.story_link.setText(f'<a href="{task["url"]}">Open story #{task["external_id"]} in the tracker</a>')
        else:
            self.story_link.setText("")
        self.refresh()

    # The timer: the journal first, the upload in the background

    def toggle_timer(self):
        if self.tracker.journal.running():
            self.tracker.stop()
            self.background.sync()
        else:
            self.start_selected()
        self.refresh()

    def start_selected(self):
        task_id = self.selected_task_id()
        self.tracker.start(task_id)
        self.background.sync()  # a switch closed the previous entry
        self.refresh()

    def dismiss_selected(self):
        for item in self.attention.selectedItems():
            self.tracker.journal.dismiss(item.data(TASK_ID))
        self.refresh()

    def refresh(self):
        now = clock.now()
        status = self.tracker.status(now)
        running = status.running
        if running:
            where = f" — {running.project_name}" if running.project_name else ""
            self.current.setText(f"Tracking: <b>{running.task_title or 'No task'}</b>{where}")
            self.clock.setText(clock.format_duration(running.seconds(now)))
            self.toggle.setText("Stop")
            self.toggle.setStyleSheet(STOP_STYLE)
        else:
            self.current.setText("Not tracking. Pick a task (or none) and press Start.")
            self.clock.setText("0:00:00")
            self.toggle.setText("Start")
            self.toggle.setStyleSheet(START_STYLE)
        selected = self.selected_task_id()
        self.switch.setEnabled(bool(running) and selected != running.task_id)
        self.today.setText(f"Today: {clock.format_hours(status.today_seconds)}")
        self.sync_status.setText(status.sync_text(now))
        self._show_attention(status.attention)
        if self.tray is not None:
            self.tray.show_state(running, self.clock.text())

    def _show_attention(self, entries):
        shown = [self.attention.item(index).data(TASK_ID) for index in range(self.attention.count())]
        if shown != [entry.client_id for entry in entries]:
            self.attention.clear()
            for entry in entries:
                item = QListWidgetItem(f"{entry.state}: {describe_refusal(entry)}")
                item.setData(TASK_ID, entry.client_id)
                self.attention.addItem(item)
        for widget in (self.attention_title, self.attention, self.dismiss):
            widget.setVisible(bool(entries))

    def _after_sync(self, report):
        self.refresh()

    def _after_tasks(self, answer):
        if answer == "updated":
            self.show_tasks()

    # Questions: the open entry of a closed app, idle time

    def offer_recovery(self):
        entry = self.tracker.open_entry_from_closed_app()
        if entry is None:
            self.tracker.journal.adopt()  # e.g. started from the CLI: this window now keeps it alive
            return None
        box = recovery_box(entry, self)
        choices = {box.keep: "keep", box.discard: "discard", box.resume: "resume"}
        box.buttonClicked.connect(lambda button: self._recovered(choices.get(button, "keep")))
        self.open_dialog = box
        box.open()
        return box

    def _recovered(self, choice):
        self.tracker.recover(choice)
        self.open_dialog = None
        self.background.sync()
        self.refresh()

    def check_idle(self):
        spell = self.idle_watch.observe(self.idle.idle_seconds(), clock.now())
        if spell is None or not self.tracker.journal.running() or self.open_dialog is not None:
            return None
        box = idle_box(spell, self)
        box.buttonClicked.connect(lambda button: self._idle_answered(spell, button is box.count))
        self.open_dialog = box
        box.open()
        return box

    def _idle_answered(self, spell, counts):
        if not counts:
            self.tracker.leave_out_idle(spell.started_at, spell.ended_at)
            self.background.sync()
        self.open_dialog = None
        self.refresh()
