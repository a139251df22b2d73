"""The shared kernel: what every app builds on and nothing in it knows about any app.

`api` (DRF base classes, errors, ETags), `exceptions` (Conflict, StaleVersion), `locks`
(transaction-scoped advisory locks), `admin` (read-only admin and read-only history).
Imports point into `common`, never out of it to an app or to the project package.
"""
