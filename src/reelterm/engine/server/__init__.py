"""The engine's HTTP server."""
