-- A proposal's post is claimed per (proposal, chat) before it is sent, so the handler and
-- the sweep never both post it to one chat; a failed send releases the claim and counts
-- the attempt, so a chat that failed is retried by the next sweep, a few times only.
-- SQLite cannot drop NOT NULL from message_id in place: the table is rebuilt (nothing
-- references it). message_id and posted_at stay NULL until the send succeeded.
CREATE TABLE model_proposal_posts_new (
    proposal_id  INTEGER NOT NULL REFERENCES model_proposals (id) ON DELETE CASCADE,
    chat_id      BIGINT NOT NULL,
    message_id   BIGINT,
    posted_at    TEXT,
    claimed_at   TEXT,
    failures     INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (proposal_id, chat_id)
);
INSERT INTO model_proposal_posts_new (proposal_id, chat_id, message_id, posted_at, claimed_at)
    SELECT proposal_id, chat_id, message_id, posted_at, posted_at FROM model_proposal_posts;
DROP TABLE model_proposal_posts;
ALTER TABLE model_proposal_posts_new RENAME TO model_proposal_posts;
