"""docker's output forms (docker/cli's formatter package), pure: the columns and field values of the container
and image listings, and the PORTS column. The renderer turns them into tables, JSON lines and templates."""
