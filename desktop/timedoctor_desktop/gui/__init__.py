"""The window, the tray icon and the dialogs (PySide6), over the same core as the CLI."""
