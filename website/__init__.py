"""The public website demo and the chat widget it embeds (served by website.server)."""
