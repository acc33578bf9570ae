-- Topics the district sets for a quarter (new resolutions, policies to disseminate), so
-- that a cadre picks them with a tap instead of typing.
CREATE TABLE quarter_topics (
    id          INTEGER PRIMARY KEY,
    quarter     TEXT NOT NULL,
    title       TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,
    created_by  INTEGER REFERENCES cadres (id),
    created_at  TEXT NOT NULL,
    UNIQUE (quarter, title)
);
CREATE INDEX quarter_topics_quarter ON quarter_topics (quarter, active);
