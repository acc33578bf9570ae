-- A cell's regular meeting day in a parsable form (domain/meetdays.py), e.g.
-- "ngày 5 hằng tháng 19:30"; the free-text meeting_day stays as it was.
ALTER TABLE cells ADD COLUMN meets_on TEXT;
