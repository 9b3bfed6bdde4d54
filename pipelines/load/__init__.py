"""Loading the published package into other databases (PostgreSQL) for researchers."""
