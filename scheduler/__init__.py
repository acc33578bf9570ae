"""Reminders and group summaries, derived from the database and run by APScheduler.

- schedule.py: when reminders and digests are due (pure functions of time and settings);
- reminders.py: the reminder sweep, claim-before-send (exactly-once rules in its docstring);
- digests.py / summaries.py / charts.py: group digests, their texts and chart;
- sending.py: Telegram's rate limits and what a failed send means;
- jobs.py: the APScheduler (PTB JobQueue) jobs that run the sweeps.
"""
