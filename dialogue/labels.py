"""Names of menus and categories in the user's language."""

from __future__ import annotations

from shared.i18n import translations


def category_label(key: str, language: str) -> str:
    """A category's name as shown on buttons and headings."""
    _ = translations(language).gettext
    labels = {
        "language_courses": _("Italian courses"),
        "housing": _("Housing help"),
        "residence_permit": _("Residence permit"),
        "health": _("Health"),
        "work": _("Work"),
        "education": _("School and university"),
        "legal_aid": _("Legal help"),
        "social_services": _("Social services"),
        "events": _("Events"),
        "emergency": _("Emergencies"),
    }
    return labels[key]


def short(text: str, limit: int = 60) -> str:
    """Button labels stay readable on a phone."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
