"""The SQLite store's schema (``SCHEMA_VERSION``, kept in ``PRAGMA user_version``) and the migrations to it from
each earlier version; chat_server/store/sqlite.py runs them."""

from __future__ import annotations

from chat_server.core.rooms import LOBBY_CONVERSATION

SCHEMA_VERSION = 9

# An invitation made while its invitee was offline, until the invitee is told (on its next join): new in version 6.
INVITATION_NEWS = """
CREATE TABLE IF NOT EXISTS invitation_news (
    room INTEGER NOT NULL REFERENCES rooms(id),
    member TEXT NOT NULL,
    inviter TEXT,
    time REAL NOT NULL,
    PRIMARY KEY (room, member)
) WITHOUT ROWID;
"""

# How far each member (a member key: the digest of its client id) has read each conversation: new in version 7.
READ_MARKERS = """
CREATE TABLE IF NOT EXISTS read_markers (
    member TEXT NOT NULL,
    conversation TEXT NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (member, conversation)
) WITHOUT ROWID;
"""

# Files members uploaded (new in version 9): one row per upload of a member for a conversation, its content the blob
# of its digest beside the database (chat_server/store/blobs.py), which rows of the same content share. ``shared``:
# a message sharing it is stored (set in that message's transaction); ``expired``: its content is gone, the row stays
# so that the cards of its messages say so. The live rows by digest (is a blob used), by member (its daily quota),
# and by age (the oldest expire first).
FILES = """
CREATE TABLE IF NOT EXISTS files (
    id TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime TEXT NOT NULL,
    conversation TEXT NOT NULL,
    sender TEXT NOT NULL,
    sender_key TEXT NOT NULL,
    created REAL NOT NULL,
    shared INTEGER NOT NULL DEFAULT 0,
    downloads INTEGER NOT NULL DEFAULT 0,
    expired INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS live_files_by_sha256 ON files (sha256) WHERE expired = 0;
CREATE INDEX IF NOT EXISTS files_by_sender ON files (sender_key, created);
CREATE INDEX IF NOT EXISTS live_files_by_age ON files (created) WHERE expired = 0;
"""

SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at REAL NOT NULL,
    alive_at REAL
);
CREATE TABLE IF NOT EXISTS sessions (
    run INTEGER NOT NULL REFERENCES runs(id),
    id INTEGER NOT NULL,
    name TEXT NOT NULL,
    host TEXT NOT NULL,
    port INTEGER NOT NULL,
    connected_at REAL NOT NULL,
    disconnected_at REAL,
    state TEXT NOT NULL,
    messages INTEGER NOT NULL,
    client_id TEXT,
    name_key TEXT NOT NULL DEFAULT '',
    name_look TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (run, id)
);
CREATE TABLE IF NOT EXISTS messages (
    seq INTEGER PRIMARY KEY,
    time REAL NOT NULL,
    sender TEXT NOT NULL,
    text TEXT NOT NULL,
    client_id TEXT,
    message_id TEXT NOT NULL DEFAULT '',
    conversation TEXT NOT NULL DEFAULT '{LOBBY_CONVERSATION}',
    file TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS messages_by_client_id
    ON messages (client_id, message_id) WHERE client_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_by_conversation ON messages (conversation, seq);
CREATE TABLE IF NOT EXISTS rooms (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    display TEXT NOT NULL,
    topic TEXT NOT NULL DEFAULT '',
    private INTEGER NOT NULL DEFAULT 0,
    owner TEXT,
    created_at REAL NOT NULL,
    closed_at REAL
);
CREATE UNIQUE INDEX IF NOT EXISTS open_rooms_by_key ON rooms (key) WHERE closed_at IS NULL;
CREATE TABLE IF NOT EXISTS room_members (
    room INTEGER NOT NULL REFERENCES rooms(id),
    member TEXT NOT NULL,
    invited INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room, member)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS room_members_by_member ON room_members (member);
CREATE TABLE IF NOT EXISTS pending_direct (
    recipient TEXT NOT NULL,
    seq INTEGER NOT NULL REFERENCES messages(seq),
    PRIMARY KEY (recipient, seq)
) WITHOUT ROWID;
""".replace("{LOBBY_CONVERSATION}", LOBBY_CONVERSATION) + INVITATION_NEWS + READ_MARKERS + FILES

# What version 1 lacked: the client id of each session, and its name folded for the reservation lookup.
MIGRATE_1_TO_2 = """
ALTER TABLE sessions ADD COLUMN client_id TEXT;
ALTER TABLE sessions ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
"""

# What version 2 lacked: when each run was last seen alive, and names compared by look-alike skeletons
# (name_key was the name in one case; name_look is new). Client ids are kept as digests from version 3 on.
MIGRATE_2_TO_3 = """
ALTER TABLE runs ADD COLUMN alive_at REAL;
ALTER TABLE sessions ADD COLUMN name_look TEXT NOT NULL DEFAULT '';
UPDATE sessions SET name_key = lanchat_name_key(name, 1), name_look = lanchat_name_key(name, 0),
    client_id = lanchat_client_key(client_id);
UPDATE messages SET client_id = lanchat_client_key(client_id) WHERE client_id IS NOT NULL;
"""

# What version 3 lacked: refused connections from one address in one minute are one row that counts them.
MIGRATE_3_TO_4 = """
ALTER TABLE sessions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
"""

# What version 4 lacked: where each message was said (every message before rooms was said in #lobby), rooms,
# their members and direct messages waiting for their recipient (the tables come with SCHEMA).
MIGRATE_4_TO_5 = f"""
ALTER TABLE messages ADD COLUMN conversation TEXT NOT NULL DEFAULT '{LOBBY_CONVERSATION}';
"""

# What version 8 lacked: the file a message shares (NULL: none; the files table comes with SCHEMA).
MIGRATE_8_TO_9 = """
ALTER TABLE messages ADD COLUMN file TEXT;
"""

# #lobby, made once: as old as the first run the store knows of (a store from before rooms), or new.
INSERT_LOBBY = (
    "INSERT OR IGNORE INTO rooms (id, key, display, topic, private, owner, created_at)"
    " VALUES (?, ?, ?, '', 0, NULL, COALESCE((SELECT MIN(started_at) FROM runs), ?))"
)

# The full-text index of the messages' text (new in version 8), for search: an FTS5 table over ``messages`` (rowid =
# seq, the text read back from ``messages``), written in the transaction that stores a message (by the store's commit
# itself, beside the messages: SQLite's AFTER INSERT trigger made each message cost 11 µs more than this
# executemany, docs/performance.md) and by a trigger in the one that deletes it (pruning, rare).
# unicode61 with remove_diacritics 2: words are compared ignoring case and accents (``cafe`` finds ``Café``).
SEARCH_TABLE = "messages_text"
SEARCH_INDEX = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(
    text, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER IF NOT EXISTS messages_text_deleted AFTER DELETE ON messages BEGIN
    INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rowid, text) VALUES ('delete', old.seq, old.text);
END;
"""

# What versions 6 and 7 lacked: the index of every message stored before it (run in the transaction that makes the
# index).
MIGRATE_7_TO_8 = f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}) VALUES ('rebuild');"

# Development builds of version 8 (never released) indexed each stored message by a trigger; the commit does it now,
# so that trigger must go (it would index every message twice).
DROP_INSERT_TRIGGER = "DROP TRIGGER IF EXISTS messages_text_stored;"

# FTS5 writes each transaction's words as a new segment and merges segments as they pile up: by default when 4 of a
# level are there, which made some commits of a busy chat take 20 ms (the ACKs of that pass wait for it). Merging 8
# at a time did the same work in fewer, smaller steps (a commit's 99th percentile 1.5 to 0.9 ms, its worst 20 to 5 ms,
# a message's CPU 11 to 9 µs, searches as fast: docs/performance.md). Kept in the index's own configuration.
SEARCH_MERGING = f"INSERT INTO {SEARCH_TABLE} ({SEARCH_TABLE}, rank) VALUES ('automerge', 8);"

NAME_INDEX = """
CREATE INDEX IF NOT EXISTS sessions_by_name_key ON sessions (name_key) WHERE client_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS sessions_by_name_look ON sessions (name_look) WHERE client_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS sessions_by_client_id ON sessions (client_id, connected_at) WHERE client_id IS NOT NULL;
"""
