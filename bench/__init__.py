"""Benchmarks, run by hand (never by the test suite): ``python -m bench [--quick]``.

Each benchmark measures the real bot (the ``Application`` of bot/app.py, its SQLite
storage, its importer) against the built-in Telegram simulator on loopback, and compares
it with a reference measured in the same run - a bare python-telegram-bot echo bot, the
theoretical floor of Telegram's rate limits - because the small machines this runs on
are noisy and only ratios travel between them. Figures go to bench/results.md; the last
line printed is one JSON object with all of them.
"""
