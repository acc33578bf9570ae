-- Since 1 July 2025 communes and wards have been merged into larger ones. A unit merged
-- into another keeps its row, its cells, their reports and assignments (history stays
-- readable); merged_into_id and merged_on (ISO date) say where it went and from when.
-- The new unit's summaries count its predecessors' cells from that date.
ALTER TABLE units ADD COLUMN merged_into_id INTEGER REFERENCES units (id);
ALTER TABLE units ADD COLUMN merged_on TEXT;
CREATE INDEX units_merged_into ON units (merged_into_id) WHERE merged_into_id IS NOT NULL;
