-- Where each escalation was posted (the Standing Committee's group, or admins' chats),
-- so it is posted once and its messages can be updated when it is acknowledged/answered.
CREATE TABLE escalation_posts (
    issue_id    INTEGER NOT NULL REFERENCES visit_issues (id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    message_id  INTEGER NOT NULL,
    posted_at   TEXT NOT NULL,
    PRIMARY KEY (issue_id, chat_id)
);
