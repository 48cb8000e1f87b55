"""Frozen data that the core returns and the renderer shows, built from Engine API payloads; no I/O.

One module per noun, and nothing re-exported here: a command imports only the models it uses, since
creating dataclasses costs start-up time (about 1 ms each).
"""
