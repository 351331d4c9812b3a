"""What the local API emulators share, standard library only: each provider's emulator
(`providers/<id>/emulator/`) adds its own API, data, auth, error bodies and fault kinds on top.

- `server`       a WSGI app served from a background thread on a local port (`start`, `stop`, `with`)
- `web`          the request, the response, a regex router and JSON encoding
- `control`      the `/__emulator__/` control endpoints every emulator has (state, request log,
                 faults, reset, clock), their JSON errors and body checks
- `faults`       fault rules matched by method and path pattern, with a registry of fault kinds
- `request_log`  a bounded log of the API requests answered, without credentials
- `clock`        a UTC clock tests can freeze and advance, and ISO 8601 times
- `state`        the one re-entrant lock an emulator's in-memory data lives under
- `cli`          `python -m …emulator --host --port --demo --print-tokens`, served until SIGINT/SIGTERM

It names no provider and imports no app code, so the emulators stay runnable without Django.
"""
