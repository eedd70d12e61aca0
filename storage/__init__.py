"""Every table, one module per feature; importing any of them registers all, so foreign keys
and relationships across features resolve."""

from storage import (
    admin,
    content,
    coordination,
    handoff,
    inbox,
    reminders,
    subscriptions,
    users,
    voices,
)

__all__ = [
    "admin",
    "content",
    "coordination",
    "handoff",
    "inbox",
    "reminders",
    "subscriptions",
    "users",
    "voices",
]
