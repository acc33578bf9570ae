-- The quarter's obligations stored (storage/obligation_table.py): the status of each
-- (cadre, cell) owed in a quarter, as storage/obligations.py's OBLIGATIONS_SQL derives it,
-- so that the top unit's summary and the reminder sweep read 100,000 rows from an index
-- instead of deriving them each time. Derived data, never edited by hand: no foreign
-- keys (deleting a row elsewhere never waits on it), and any quarter may be rebuilt.
CREATE TABLE obligation_statuses (
    quarter   TEXT NOT NULL,
    cadre_id  INTEGER NOT NULL,
    cell_id   INTEGER NOT NULL,
    status    TEXT NOT NULL CHECK (status IN ('due', 'filed', 'late', 'excused')),
    PRIMARY KEY (quarter, cadre_id, cell_id)
);
CREATE INDEX obligation_statuses_cell ON obligation_statuses (quarter, cell_id, status);
CREATE INDEX obligation_statuses_status ON obligation_statuses (quarter, status, cadre_id, cell_id);

-- The same, counted by cell: what a coverage sums by commune.
CREATE TABLE obligation_cell_counts (
    quarter  TEXT NOT NULL,
    cell_id  INTEGER NOT NULL,
    filed    INTEGER NOT NULL,
    late     INTEGER NOT NULL,
    excused  INTEGER NOT NULL,
    due      INTEGER NOT NULL,
    PRIMARY KEY (quarter, cell_id)
);

-- The quarters stored, each as of a day and under a transfer rule, with the last change
-- (obligation_changes.seq) it has taken in.
CREATE TABLE obligation_quarters (
    quarter  TEXT PRIMARY KEY,
    as_of    TEXT NOT NULL,
    rule     TEXT NOT NULL,
    settled  INTEGER NOT NULL
);

-- A note per change of a cadre's obligations, numbered in order (a row id grows past the
-- largest there is, and storage/obligation_table.py never deletes the newest note, so a
-- number is never given twice). The triggers below write it whatever writes the tables
-- (the bot, `baocao import`, a script): no write path can forget to. One cheap insert a
-- write; a read of a quarter takes in what is new, each cadre once.
CREATE TABLE obligation_changes (
    seq       INTEGER PRIMARY KEY,
    cadre_id  INTEGER NOT NULL
);

-- A day's newly started assignments (an obligation owed from the day it starts).
CREATE INDEX assignments_starts ON assignments (starts_on);

-- SQLite triggers; on PostgreSQL each would call one plpgsql function doing the same.
-- Only once a quarter is stored: before that, the first read derives it whole anyway, so a
-- fresh database's import or bulk load writes no notes at all.
CREATE TRIGGER obligation_report_added AFTER INSERT ON visit_reports
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (NEW.cadre_id);
END;
CREATE TRIGGER obligation_report_changed AFTER UPDATE OF cadre_id, cell_id, quarter, late, status ON visit_reports
WHEN EXISTS (SELECT 1 FROM obligation_quarters) AND (OLD.cadre_id IS NOT NEW.cadre_id OR OLD.cell_id IS NOT NEW.cell_id OR OLD.quarter IS NOT NEW.quarter
  OR OLD.late IS NOT NEW.late OR OLD.status IS NOT NEW.status) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (OLD.cadre_id);
    INSERT INTO obligation_changes (cadre_id) SELECT NEW.cadre_id WHERE NEW.cadre_id <> OLD.cadre_id;
END;
CREATE TRIGGER obligation_report_removed AFTER DELETE ON visit_reports
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (OLD.cadre_id);
END;

CREATE TRIGGER obligation_assignment_added AFTER INSERT ON assignments
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (NEW.cadre_id);
END;
CREATE TRIGGER obligation_assignment_changed AFTER UPDATE OF cadre_id, cell_id, starts_on, ends_on ON assignments
WHEN EXISTS (SELECT 1 FROM obligation_quarters) AND (OLD.cadre_id IS NOT NEW.cadre_id OR OLD.cell_id IS NOT NEW.cell_id OR OLD.starts_on IS NOT NEW.starts_on
  OR OLD.ends_on IS NOT NEW.ends_on) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (OLD.cadre_id);
    INSERT INTO obligation_changes (cadre_id) SELECT NEW.cadre_id WHERE NEW.cadre_id <> OLD.cadre_id;
END;
CREATE TRIGGER obligation_assignment_removed AFTER DELETE ON assignments
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (OLD.cadre_id);
END;

CREATE TRIGGER obligation_excusal_added AFTER INSERT ON excusals
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (NEW.cadre_id);
END;
CREATE TRIGGER obligation_excusal_changed AFTER UPDATE ON excusals
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (OLD.cadre_id);
    INSERT INTO obligation_changes (cadre_id) SELECT NEW.cadre_id WHERE NEW.cadre_id <> OLD.cadre_id;
END;
CREATE TRIGGER obligation_excusal_removed AFTER DELETE ON excusals
WHEN EXISTS (SELECT 1 FROM obligation_quarters) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (OLD.cadre_id);
END;

-- An inactive cadre or cell owes nothing: (de)activating one changes its cadres' obligations.
CREATE TRIGGER obligation_cadre_active AFTER UPDATE OF active ON cadres
WHEN EXISTS (SELECT 1 FROM obligation_quarters) AND (OLD.active IS NOT NEW.active) BEGIN
    INSERT INTO obligation_changes (cadre_id) VALUES (NEW.id);
END;
CREATE TRIGGER obligation_cell_active AFTER UPDATE OF active ON cells
WHEN EXISTS (SELECT 1 FROM obligation_quarters) AND (OLD.active IS NOT NEW.active) BEGIN
    INSERT INTO obligation_changes (cadre_id) SELECT DISTINCT cadre_id FROM assignments WHERE cell_id = NEW.id;
END;
