"""Docker-exact grammars, one module each, pure (standard library only, no I/O): `-p` port specs, image
references, Go globs, Go templates, Go durations and docker's time values, go-units, `.dockerignore` and
signal names. Each is tested against its reference implementation's own test tables."""
