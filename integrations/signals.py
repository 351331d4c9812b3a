"""What integrations tell the layers above them, without knowing who listens (the sync engine does).

`sync_wanted(personals, trigger)`: these personal integrations should sync now (a switch turned
on, a token saved, the company integration turned on, the scope changed). Sent inside the change's
transaction; `trigger` is one of `sync.models.SyncRun.Trigger`'s values.
"""

from django.dispatch import Signal

sync_wanted = Signal()
