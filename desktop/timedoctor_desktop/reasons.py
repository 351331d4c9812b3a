"""The server's codes, in words a person can act on."""

REASONS = {
    "client_id_conflict": "The server already has this entry with other times, task or note (uploaded from "
    "another copy of the journal). Check both on the web and keep the right one.",
    "overlap": "It overlaps time you already tracked, on the web timer or another computer.",
    "too_long": "It is longer than 24 hours, the most one entry can be. Was the timer left running?",
    "end_before_start": "It ends before it starts. Check this computer's clock.",
    "in_future": "It ends in the future. Check this computer's clock and time zone.",
    "unknown_task": "Its task no longer exists on the server.",
    "task_not_assigned": "Its task was never assigned to you.",
    "task_not_offered": "Its task is no longer offered to you (closed, or taken off your list). Pick another.",
    "manual_time_not_allowed": "Your company does not allow adding or editing time by hand.",
    "duplicate_in_batch": "The same entry was sent twice in one upload (a bug in the app: please report it).",
    "naive_datetime": "A time was sent without its time zone (a bug in the app: please report it).",
    "date_out_of_range": "Its date is outside the years 2000 to 2099. Check this computer's clock.",
    "invalid": "The server could not read the entry (a bug in the app: please report it).",
    "throttled": "Too many requests: the app will try again shortly.",
    "not_authenticated": "The app token is unknown or was revoked. Sign in again with a new token.",
}


def in_words(code, server_message=""):
    """A readable reason for a code; an unknown code falls back to the server's own message."""
    reason = REASONS.get(code)
    if reason is None:
        return server_message or f"The server refused it ({code})."
    return reason
