"""Entry points and headless commands."""
