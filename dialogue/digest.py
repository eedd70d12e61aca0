"""The weekly digest of stale facts as the mediators read it in their Telegram group."""

from __future__ import annotations

from datetime import timedelta

from babel.dates import format_timedelta

from content.staleness import StaleRow
from dialogue.replies import Reply
from shared.i18n import locale, translations

MAX_LISTED = 40  # the rest is on the admin page; the group stays readable on a phone


def verified_ago(row: StaleRow, language: str) -> str:
    """ "never verified" or e.g. "verified 7 months ago", in the reader's language."""
    _ = translations(language).gettext
    if row.age_days is None:
        return _("never verified")
    ago = format_timedelta(
        timedelta(days=-row.age_days), add_direction=True, locale=locale(language)
    )
    return _("verified {ago}").format(ago=ago)


def digest_reply(rows: list[StaleRow], language: str, stale_after_days: int) -> Reply:
    """Which services and courses to check again and how old their facts are."""
    _ = translations(language).gettext
    if not rows:
        text = _("📋 Weekly check: every service and course was verified in the last {days} days.")
        return Reply(text.format(days=stale_after_days), language)
    heading = _(
        "📋 Weekly check: {count} services and courses were verified more than {days} days ago "
        "or never. Please check them against their source and mark them verified in the admin "
        "tool."
    ).format(count=len(rows), days=stale_after_days)
    kinds = {"services": _("service"), "courses": _("course")}
    lines = [
        f"• {row.name} ({kinds[row.kind]}): {verified_ago(row, language)}"
        for row in rows[:MAX_LISTED]
    ]
    if len(rows) > MAX_LISTED:
        more = _("… and {count} more: see the page “Stale facts” of the admin tool.")
        lines.append(more.format(count=len(rows) - MAX_LISTED))
    return Reply("\n\n".join([heading, "\n".join(lines)]), language)
