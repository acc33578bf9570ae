"""The bot's own HTTP server: webhook deliveries, the health check, short-lived files."""
