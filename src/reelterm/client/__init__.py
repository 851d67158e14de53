"""The async HTTP client for the NemoVideo protocol."""
