"""Roles and what each part of the tool admits; the server checks them on every route."""

from __future__ import annotations

from storage.admin import Role

ANYONE = frozenset(Role)
# FAQs, translations, example questions, services, courses and retraining.
CONTENT = frozenset({Role.ADMIN, Role.MEDIATOR})
# Events and announcements, and deciding on what associations propose.
EVENTS = frozenset({Role.ADMIN, Role.EDITOR})
PROPOSE = frozenset({Role.ADMIN, Role.EDITOR, Role.ASSOCIATION})
ADMINS = frozenset({Role.ADMIN})
