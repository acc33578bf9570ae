"""baocao: a Telegram bot with which party cadres report their quarterly cell visits."""

__version__ = "0.1.0"
