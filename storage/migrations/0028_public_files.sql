-- Files handed out by link, for a messenger that takes no uploads (Zalo): a material's
-- PDF sent to a cell, the quarterly workbook. The bytes are kept once per content; each
-- message that carries one gets its own unguessable link (BAOCAO_PUBLIC_URL/f/<token>)
-- that expires. Only a hash of the token is stored: a copy of the database opens nothing.
CREATE TABLE public_files (
    sha256        TEXT PRIMARY KEY,
    data          BLOB NOT NULL,
    content_type  TEXT NOT NULL,
    stored_at     TEXT NOT NULL
);

CREATE TABLE public_links (
    token_hash  TEXT PRIMARY KEY,
    sha256      TEXT NOT NULL REFERENCES public_files (sha256),
    file_name   TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX public_links_expiry ON public_links (expires_at);
CREATE INDEX public_links_file ON public_links (sha256);

-- The messenger whose bot holds a material's file_id (the admin's upload): sending it on
-- another messenger needs the bytes, fetched once through that bot.
ALTER TABLE materials ADD COLUMN channel TEXT NOT NULL DEFAULT 'telegram';
