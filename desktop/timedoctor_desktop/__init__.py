"""The Timedoctor desktop app: a client of the server's public desktop API (/api/v1/) that records
every start and stop in a local journal first, so time tracked offline is never lost or doubled."""

__version__ = "0.1.0"
