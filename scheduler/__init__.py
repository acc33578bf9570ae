"""Reminders and group summaries, derived from the database and run by APScheduler.

- schedule.py: when reminders and digests are due (pure functions of time, settings and
  the working calendar); settings.py: those settings with the committee's days off;
- reminders.py: the reminder sweep, claim-before-send (exactly-once rules in its
  docstring), and the notice to a cell's secretary; reminder_texts.py: what a reminder
  says (a slot's common lines made once); reminder_plan.py: the operator's dry run;
- digests.py / summaries.py / charts.py: group digests, their texts and chart;
- live.py: the digest's "still due" message, edited in place as reports arrive;
- sending.py: Telegram's rate limits and what a failed send means;
- jobs.py: the APScheduler (PTB JobQueue) jobs that run the sweeps.
"""
