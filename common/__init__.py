"""What every server shares, beneath everything else: it imports nothing of ours (docs/architecture.md)."""
