"""The Dockerfile and build-cache family: reading Dockerfiles, lint rules, the build context and its tar
stream, the classic builder's log, dkr's build records and the cache report. Pure analysis, plus the file I/O
of the context and the records; nothing here talks to the Engine."""
