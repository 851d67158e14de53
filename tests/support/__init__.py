"""Test support shared by the test folders: the scripted NemoVideo server."""
