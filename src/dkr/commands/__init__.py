"""One module per command. Each parses its options, calls the core once, and renders the result.

Modules here import only typer, the standard library and dkr's pure modules at top level; the core
(`dkr.engine`, which imports the SDK) is imported inside the command function.
"""
