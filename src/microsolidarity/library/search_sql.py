"""The SQL behind essay search, for its migration and its queries (library/search.py)."""

PG_VECTOR = (
    "(setweight(to_tsvector('english', title), 'A') || "
    "setweight(to_tsvector('english', summary || ' ' || author), 'B') || "
    "setweight(to_tsvector('english', body), 'C'))"
)
SEARCH_SQL = {
    "sqlite": {
        "create": [
            "CREATE VIRTUAL TABLE library_essay_fts USING fts5(title, author, summary, body, "
            "content='library_essay', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2')",
            "CREATE TRIGGER library_essay_fts_insert AFTER INSERT ON library_essay BEGIN "
            "INSERT INTO library_essay_fts(rowid, title, author, summary, body) "
            "VALUES (new.id, new.title, new.author, new.summary, new.body); END",
            "CREATE TRIGGER library_essay_fts_delete AFTER DELETE ON library_essay BEGIN "
            "INSERT INTO library_essay_fts(library_essay_fts, rowid, title, author, summary, body) "
            "VALUES ('delete', old.id, old.title, old.author, old.summary, old.body); END",
            "CREATE TRIGGER library_essay_fts_update AFTER UPDATE ON library_essay BEGIN "
            "INSERT INTO library_essay_fts(library_essay_fts, rowid, title, author, summary, body) "
            "VALUES ('delete', old.id, old.title, old.author, old.summary, old.body); "
            "INSERT INTO library_essay_fts(rowid, title, author, summary, body) "
            "VALUES (new.id, new.title, new.author, new.summary, new.body); END",
            "INSERT INTO library_essay_fts(library_essay_fts) VALUES ('rebuild')",
        ],
        "drop": [
            "DROP TRIGGER IF EXISTS library_essay_fts_insert",
            "DROP TRIGGER IF EXISTS library_essay_fts_delete",
            "DROP TRIGGER IF EXISTS library_essay_fts_update",
            "DROP TABLE IF EXISTS library_essay_fts",
        ],
    },
    "postgresql": {
        "create": [f"CREATE INDEX library_essay_search ON library_essay USING GIN ({PG_VECTOR})"],
        "drop": ["DROP INDEX IF EXISTS library_essay_search"],
    },
}
