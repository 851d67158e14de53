"""Probing, rendering drafts, merge, convert, text images, audio assets; no HTTP."""
