"""The local backend: server, store, agent, planner, render queue."""
