"""HTTP clients of the services the actions talk to."""
