"""Full-text fallback over FAQs and intents: SQLite FTS5 or PostgreSQL full-text, same terms.

Each text becomes character trigrams of its words (short words whole), which works for Chinese
(no spaces), typos and every script alike. Terms are stored as short hashes so neither engine's
tokenizer can split them differently (FTS5's unicode61 splits Bengali vowel signs).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from content.text import words
from storage.content import FTS_TABLE, SearchEntry

MAX_QUERY_TERMS = 200
CANDIDATES = 25


def _term(gram: str) -> str:
    return "t" + hashlib.blake2b(gram.encode(), digest_size=6).hexdigest()


def terms(value: str) -> set[str]:
    """The hashed trigram terms of a text."""
    grams: set[str] = set()
    for word in words(value):
        if len(word) <= 3:
            grams.add(word)
        else:
            grams.update(word[i : i + 3] for i in range(len(word) - 2))
    return {_term(gram) for gram in grams}


@dataclass(frozen=True)
class Hit:
    """A search result: what matched (`faq/<slug>` or an intent), share of the query covered."""

    target: str
    language: str
    score: float


def replace_entries(session: Session, texts: Iterable[tuple[str, str, str]]) -> None:
    """Rebuild the index from `(target, language, text)`: one entry per target and language
    holding every text given for them."""
    documents: dict[tuple[str, str], set[str]] = {}
    for target, language, value in texts:
        documents.setdefault((target, language), set()).update(terms(value))
    session.execute(delete(SearchEntry))
    session.add_all(
        SearchEntry(target=target, language=language, terms=" ".join(sorted(found)))
        for (target, language), found in documents.items()
    )


def search(session: Session, query: str, limit: int = 3) -> list[Hit]:
    """Best distinct targets for a query, scored by the share of its terms they contain."""
    wanted = sorted(terms(query))[:MAX_QUERY_TERMS]
    if not wanted:
        return []
    if session.get_bind().dialect.name == "sqlite":
        statement = text(
            f"SELECT e.target, e.language, e.terms FROM {FTS_TABLE} f "  # noqa: S608 constant name
            f"JOIN search_entries e ON e.id = f.rowid WHERE {FTS_TABLE} MATCH :q "
            f"ORDER BY bm25({FTS_TABLE}) LIMIT :n"
        ).bindparams(q=" OR ".join(wanted), n=CANDIDATES)
    else:
        statement = text(
            "SELECT target, language, terms FROM search_entries "
            "WHERE to_tsvector('simple', terms) @@ to_tsquery('simple', :q) "
            "ORDER BY ts_rank(to_tsvector('simple', terms), to_tsquery('simple', :q)) DESC "
            "LIMIT :n"
        ).bindparams(q=" | ".join(wanted), n=CANDIDATES)
    query_terms = set(wanted)
    best: dict[str, Hit] = {}
    for target, language, doc_terms in session.execute(statement):
        score = len(query_terms & set(doc_terms.split())) / len(query_terms)
        if target not in best or score > best[target].score:
            best[target] = Hit(target, language, score)
    return sorted(best.values(), key=lambda hit: -hit.score)[:limit]
