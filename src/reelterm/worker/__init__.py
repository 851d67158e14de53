"""The one backend worker: owns the client and the session, runs commands, emits plain events."""
