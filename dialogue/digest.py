"""The weekly digest of stale facts as the mediators read it in their Telegram group."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from babel.dates import format_timedelta

from content.demand import ASKED_DAYS
from content.staleness import StaleFact, StaleRow, age_days
from dialogue.format import fact_lines
from dialogue.replies import Reply
from shared.i18n import locale, translations

MAX_LISTED = 40  # the rest is on the admin page; the group stays readable on a phone
FIRST_FACTS = 8  # facts of the most asked about offices, listed before the rows


def verified_ago(days: int | None, language: str) -> str:
    """ "never verified" or e.g. "verified 7 months ago", in the reader's language."""
    _ = translations(language).gettext
    if days is None:
        return _("never verified")
    ago = format_timedelta(timedelta(days=-days), add_direction=True, locale=locale(language))
    return _("verified {ago}").format(ago=ago)


def _first_facts(facts: Sequence[StaleFact], today: date, language: str) -> str:
    """The facts to check first: those of the offices people asked about most."""
    _ = translations(language).gettext
    heading = _(
        "🔎 Check these first: the facts of the offices people asked about most in the last "
        "{days} days, never checked or checked longest ago."
    ).format(days=ASKED_DAYS)
    lines = [
        f"• {f.office.name}: {fact_lines(f.office, language)[f.fact]} – "
        f"{verified_ago(age_days(f.checked_on, today), language)}"
        for f in facts
    ]
    return "\n".join([heading, *lines])


def digest_reply(
    rows: list[StaleRow],
    facts: Sequence[StaleFact],
    today: date,
    language: str,
    stale_after_days: int,
) -> Reply:
    """Which services and courses to check again and how old their facts are, the facts of
    the offices people ask about most first."""
    _ = translations(language).gettext
    first = [_first_facts(facts, today, language)] if facts else []
    if not rows:
        text = _("📋 Weekly check: every service and course was verified in the last {days} days.")
        return Reply("\n\n".join([text.format(days=stale_after_days), *first]), language)
    heading = _(
        "📋 Weekly check: {count} services and courses were verified more than {days} days ago "
        "or never. Please check them against their source and mark them verified in the admin "
        "tool."
    ).format(count=len(rows), days=stale_after_days)
    kinds = {"services": _("service"), "courses": _("course")}
    lines = [
        f"• {row.name} ({kinds[row.kind]}): {verified_ago(row.age_days, language)}"
        for row in rows[:MAX_LISTED]
    ]
    if len(rows) > MAX_LISTED:
        more = _("… and {count} more: see the page “Stale facts” of the admin tool.")
        lines.append(more.format(count=len(rows) - MAX_LISTED))
    return Reply("\n\n".join([heading, *first, "\n".join(lines)]), language)
