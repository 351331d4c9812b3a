"""How long since the last keyboard or mouse input, where the platform lets us read it: X11
through the screensaver extension (libXss, via ctypes), Windows through GetLastInputInfo.
Elsewhere (Wayland, macOS, a headless session) `IdleDetector.reason` says why it is unavailable."""

import ctypes
import ctypes.util
import os
import sys
from dataclasses import dataclass
from datetime import timedelta

UNAVAILABLE = "idle detection unavailable on this platform"


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("event_mask", ctypes.c_ulong),
    ]


class _X11Idle:
    def __init__(self):
        if not os.environ.get("DISPLAY"):
            raise OSError("no X11 display")
        x11_name, xss_name = ctypes.util.find_library("X11"), ctypes.util.find_library("Xss")
        if not x11_name or not xss_name:
            raise OSError("libX11 or libXss is not installed")
        self.x11, self.xss = ctypes.cdll.LoadLibrary(x11_name), ctypes.cdll.LoadLibrary(xss_name)
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
        self.xss.XScreenSaverQueryExtension.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_int),
            ctypes.POINTER(ctypes.c_int),
        ]
        self.xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo)]
        self.display = self.x11.XOpenDisplay(None)
        if not self.display:
            raise OSError("cannot open the X11 display")
        event_base, error_base = ctypes.c_int(), ctypes.c_int()
        if not self.xss.XScreenSaverQueryExtension(self.display, ctypes.byref(event_base), ctypes.byref(error_base)):
            raise OSError("the X server has no screensaver extension")
        self.info = self.xss.XScreenSaverAllocInfo()
        self.root = self.x11.XDefaultRootWindow(self.display)

    def seconds(self):
        self.xss.XScreenSaverQueryInfo(self.display, self.root, self.info)
        return self.info.contents.idle / 1000


class _WindowsIdle:
    def __init__(self):
        class LastInputInfo(ctypes.Structure):
            _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]

        self.info = LastInputInfo(ctypes.sizeof(LastInputInfo), 0)
        self.user32, self.kernel32 = ctypes.windll.user32, ctypes.windll.kernel32  # type: ignore[attr-defined]

    def seconds(self):
        self.user32.GetLastInputInfo(ctypes.byref(self.info))
        return (self.kernel32.GetTickCount() - self.info.dwTime) / 1000


class IdleDetector:
    """`idle_seconds()` is the time since the last input, or None when it cannot be known."""

    def __init__(self):
        self.reason = ""
        self._source = None
        try:
            if sys.platform == "win32":
                self._source = _WindowsIdle()
            elif sys.platform.startswith("linux") or "bsd" in sys.platform:
                self._source = _X11Idle()
            else:
                raise OSError(sys.platform)
        except (OSError, AttributeError) as error:
            self.reason = f"{UNAVAILABLE} ({error})"

    @property
    def available(self):
        return self._source is not None

    def idle_seconds(self):
        return self._source.seconds() if self._source else None


@dataclass(frozen=True)
class IdleSpell:
    started_at: object
    ended_at: object

    @property
    def minutes(self):
        return int((self.ended_at - self.started_at).total_seconds() // 60)


class IdleWatch:
    """Fed with the idle time every few seconds; when the person comes back after at least
    `threshold` without input, returns the spell (from the last input to now) to ask about."""

    def __init__(self, threshold=timedelta(minutes=5)):
        self.threshold = threshold
        self.idle_since = None

    def observe(self, idle_seconds, now):
        if idle_seconds is None:
            return None
        if idle_seconds >= self.threshold.total_seconds():
            self.idle_since = self.idle_since or now - timedelta(seconds=idle_seconds)
            return None
        if self.idle_since is not None:
            spell, self.idle_since = IdleSpell(self.idle_since, now - timedelta(seconds=idle_seconds)), None
            return spell
        return None
