"""Conversations and commands: thin layers that parse input and call storage/ and bot/."""
