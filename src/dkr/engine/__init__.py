"""The core layer: the only package that imports the docker SDK.

Its functions take an `Engine`, talk to the Engine API, and return dkr models or raise dkr errors. Command
modules import from here inside their function bodies so that `dkr --help` never imports the SDK.
"""
