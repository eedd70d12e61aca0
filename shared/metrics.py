"""Prometheus metrics: what is asked, in which language, how well it is understood; no content."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

MESSAGES = Counter(
    "primm_messages_total",
    "Text messages answered, by language, category and the engine that understood them",
    ["language", "category", "engine"],
)
FALLBACKS = Counter(
    "primm_fallbacks_total",
    "Messages answered with suggestions because no route was confident enough",
    ["language"],
)
NOT_KEPT = Counter(
    "primm_not_kept_total",
    "Counts and inbox questions lost to a failed write; the user was answered all the same",
    ["what"],
)
STATEMENTS = Counter(
    "primm_db_statements_total", "SQL statements this process sent to the database"
)
NLU_SECONDS = Histogram(
    "primm_nlu_seconds",
    "Time of one Rasa /model/parse call, failures included",
    buckets=(0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0),
)
NLU_UNAVAILABLE = Counter(
    "primm_nlu_unavailable_total", "Parses that failed and fell back to full-text search"
)
DELIVERIES = Counter(
    "primm_broadcast_deliveries_total",
    "Announcement and reminder copies by how they ended: sent, failed, blocked or uncertain",
    ["outcome"],
)
THROTTLED = Counter(
    "primm_broadcast_throttled_total", "429 answers that paused the broadcast sender"
)
RETRIES = Counter(
    "primm_broadcast_retries_total",
    "Requests of the broadcast sender retried after a connection error, 5xx or 429",
)
DANGERS = Counter(
    "primm_dangers_total",
    "Messages from a person in danger, answered with the emergency numbers first",
    ["language", "kind", "sure"],
)
