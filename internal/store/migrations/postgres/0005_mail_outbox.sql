-- The mail outbox: every mail Gatehouse sends is written here in the same transaction as what
-- caused it (a token, a user), and a relay delivers it (internal/mail). subject is metadata;
-- body holds the rendered text and HTML parts, sealed under GATEHOUSE_SECRET_KEY because they
-- carry live links and codes, and is set to NULL once the mail is delivered or given up on.
-- next_attempt_at is when a pending mail is due, and for a mail being sent the end of its
-- sender's lease: a claim not finished by then (the sender crashed) is claimed again.
-- attempts counts claims, so each claim is told apart from the one before it.
CREATE TABLE mail_outbox (
    id              uuid        PRIMARY KEY,
    recipient       text        NOT NULL,
    kind            text        NOT NULL,
    subject         text        NOT NULL,
    body            bytea,
    status          text        NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
    attempts        integer     NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    last_error      text        NOT NULL DEFAULT '',
    sent_at         timestamptz
);
-- The relay's claim: due mails, oldest due first.
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE status IN ('pending', 'sending');
