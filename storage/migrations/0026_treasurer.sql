-- The unit's treasurer (thủ quỹ) of the savings fund is a duty a cadre holds besides their
-- role: a commune admin or a cell secretary may keep the fund too. A column, not a fourth
-- role: ADD COLUMN is portable (PostgreSQL too) and leaves the roles' CHECK alone, where
-- widening it in SQLite meant rebuilding cadres, which a dozen tables and two triggers
-- reference (or PRAGMA writable_schema, as an earlier 0023 did).
ALTER TABLE cadres ADD COLUMN treasurer INTEGER NOT NULL DEFAULT 0 CHECK (treasurer IN (0, 1));

-- A database that applied the earlier 0023 may hold role = 'treasurer' rows (its CHECK
-- allowed them): they become cadres who keep the fund. Elsewhere this changes nothing.
UPDATE cadres SET treasurer = 1, role = 'cadre' WHERE role = 'treasurer';

