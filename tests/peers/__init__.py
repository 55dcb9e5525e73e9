"""Local stand-ins that speak third-party wire formats, for tests and benchmarks."""
