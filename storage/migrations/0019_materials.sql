-- Propaganda and meeting-guidance materials (tài liệu tuyên truyền, hướng dẫn sinh hoạt)
-- an admin sends to the cells, and each cell's receipt of them.

-- A material: a file the admin sent to the bot (Telegram keeps the bytes; file_id is
-- reused for every cell, so it is uploaded once) or a link. The audience is what the
-- admin chose; the cells it meant are material_deliveries' rows, fixed at confirmation.
CREATE TABLE materials (
    id                INTEGER PRIMARY KEY,
    title             TEXT NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('document', 'photo', 'link')),
    file_id           TEXT,
    file_name         TEXT,
    url               TEXT,
    audience          TEXT NOT NULL CHECK (audience IN ('all', 'commune', 'area_kind')),
    audience_unit_id  INTEGER REFERENCES units (id),
    audience_kind     TEXT,
    scope_unit_id     INTEGER REFERENCES units (id),
    created_by        INTEGER REFERENCES cadres (id),
    created_at        TEXT NOT NULL,
    client_token      TEXT NOT NULL UNIQUE,
    CHECK ((kind = 'link') = (url IS NOT NULL)),
    CHECK ((kind = 'link') = (file_id IS NULL))
);
CREATE INDEX materials_created ON materials (created_at);

-- One row per (material, cell). Sending is claimed before it is sent, exactly as
-- reminder_log's rows are ('claimed' whose outcome is unknown is never sent again;
-- 'failed' is retried up to 3 times); so is the one reminder to a cell that has not
-- confirmed (reminder_status). The receipt is written once: who pressed «Đã nhận», when.
CREATE TABLE material_deliveries (
    material_id        INTEGER NOT NULL REFERENCES materials (id),
    cell_id            INTEGER NOT NULL REFERENCES cells (id),
    recipient_id       INTEGER REFERENCES cadres (id),
    status             TEXT NOT NULL DEFAULT 'pending'
                       CHECK (status IN ('pending', 'claimed', 'sent', 'failed', 'unreachable')),
    attempts           INTEGER NOT NULL DEFAULT 0,
    last_error         TEXT,
    claimed_at         TEXT,
    sent_at            TEXT,
    reminder_status    TEXT CHECK (reminder_status IN ('claimed', 'sent', 'failed', 'unreachable')),
    reminder_attempts  INTEGER NOT NULL DEFAULT 0,
    reminded_at        TEXT,
    received_by        INTEGER REFERENCES cadres (id),
    received_at        TEXT,
    PRIMARY KEY (material_id, cell_id)
);
CREATE INDEX material_deliveries_unsent ON material_deliveries (status) WHERE status IN ('pending', 'failed');
CREATE INDEX material_deliveries_cell ON material_deliveries (cell_id);
