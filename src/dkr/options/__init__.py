"""Option values the commands share or own, checked before any Engine call (a bad one is a UsageError,
exit 2): output formats, container references, filters, KEY=VALUE lists, and the specs of run, build and up.
"""
