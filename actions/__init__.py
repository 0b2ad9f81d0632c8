"""The action server: custom actions that read the services catalogue."""
