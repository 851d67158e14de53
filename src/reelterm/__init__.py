"""reelterm: a terminal studio for AI video."""

__version__ = "0.1.0"
