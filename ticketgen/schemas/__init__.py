"""JSON schemas shipped with the package (read at runtime through `importlib.resources`)."""
