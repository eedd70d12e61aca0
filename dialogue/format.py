"""Content rows as plain text in the user's language (adapters add markup and escaping)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from urllib.parse import urlsplit

from babel.dates import format_date, format_time
from babel.numbers import format_currency

from content.facts import Source, corrected
from content.texts import published
from dialogue.labels import short
from dialogue.payloads import RemindEvent, encode
from dialogue.replies import Button
from shared.clock import ROME
from shared.i18n import locale, translations
from storage.content import Course, Event, Service

# After a full stop and a space, or after the scripts' own stops (Chinese puts no space after).
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[。؟۔।])")


def _local(texts: dict[str, str], languages: Sequence[str]) -> str | None:
    return next((texts[lang] for lang in languages if texts.get(lang)), None)


def unverified_note(language: str) -> str:
    """The warning on facts no person has checked yet."""
    _ = translations(language).gettext
    return _("⚠️ Not yet verified by a person: check on the official website before you go.")


def _site(url: str) -> str:
    return (urlsplit(url).hostname or url).removeprefix("www.")


def by_law(row: Service | Course | Event) -> bool:
    """A national emergency number: a fact of law, never one to check before calling."""
    return isinstance(row, Service) and row.category_key == "emergency" and row.province is None


def provenance(row: Service | Course | Event, language: str) -> list[str]:
    """Which dated page a fact comes from, and that no person checked it yet: a source's own
    date is not a verification."""
    _ = translations(language).gettext
    if by_law(row):
        return [_("📄 Source: {site}").format(site=_site(row.source_url))]
    lines = []
    if row.source_date is not None:
        lines.append(_stated_by(Source(row.source_url, row.source_date), language))
    if row.verified_on is None:
        lines.append(unverified_note(language))
    return lines


def _stated_by(page: Source, language: str) -> str:
    """The page a person found a corrected fact on, with its date when it gives one."""
    _ = translations(language).gettext
    if page.date is None:
        return _("📄 Source: {site}").format(site=_site(page.url))
    when = format_date(page.date, "long", locale=locale(language))
    return _("📄 According to {site}, {date}").format(site=_site(page.url), date=when)


def _official_site(url: str) -> str:
    """The home page of the site a source page is on: the institution's own site."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def fact_lines(row: Service, language: str) -> dict[str, str]:
    """Each fact an office shows (address, phone, hours, website), as its line of the card."""
    _ = translations(language).gettext
    where = ", ".join(part for part in (row.address, row.comune) if part)
    lines = {
        "address": where and f"📍 {where}" + (f" ({row.province})" if row.province else ""),
        "phone": row.phone and _("☎️ Phone: {phone}").format(phone=row.phone),
        "opening_hours": row.opening_hours
        and _("🕒 Opening hours: {hours}").format(hours=row.opening_hours),
        "website": row.website and f"🌐 {row.website}",
    }
    return {fact: line for fact, line in lines.items() if line}


def service(row: Service, languages: Sequence[str]) -> str:
    """An office: name, what it does, where, how to reach it (never nothing), and where its
    facts come from."""
    _ = translations(languages[0]).gettext
    lines = [f"🏢 {row.name}"]
    if description := _local(row.description, languages):
        lines.append(description)
    # A fact a person corrected says right below it which page states it.
    pages = corrected(row)
    for fact, line in fact_lines(row, languages[0]).items():
        lines.append(line)
        lines += [_stated_by(pages[fact], languages[0])] if fact in pages else []
    if not row.website and not row.phone:
        lines.append(
            _("🌐 Find the address and hours on the official site: {site}").format(
                site=_official_site(row.source_url)
            )
        )
    lines += provenance(row, languages[0])
    return "\n".join(lines)


def spoken(row: Service, languages: Sequence[str]) -> str:
    """What "🔊 Listen" reads of an office: its name, what it does, where it is, its phone and
    hours; its web address and where its facts come from are for the eyes."""
    lines = [row.name]
    if description := _local(row.description, languages):
        lines.append(first_sentence(description))
    facts = fact_lines(row, languages[0])
    lines += [facts[fact] for fact in ("address", "phone", "opening_hours") if fact in facts]
    return ".\n".join(line.rstrip(".") for line in lines)


def card(row: Service, languages: Sequence[str]) -> str:
    """An office in three lines: its name, how to reach it, what it does in one sentence."""
    _ = translations(languages[0]).gettext
    lines = [f"🏢 {row.name}"]
    where = ", ".join(part for part in (row.address, row.comune) if part)
    reach = [f"☎️ {row.phone}" if row.phone else "", f"📍 {where}" if where else ""]
    if not any(reach):
        reach.append(f"🌐 {row.website or _official_site(row.source_url)}")
    lines.append(" · ".join(part for part in reach if part))
    if description := _local(row.description, languages):
        lines.append(first_sentence(description))
    return "\n".join(lines)


def first_sentence(text: str) -> str:
    """The first sentence of a description: what an office does, in one line."""
    return _SENTENCE_END.split(text, maxsplit=1)[0]


def cost(euro: Decimal, language: str) -> str:
    """A course fee in the user's words and number format: free, or euro with Babel."""
    if euro == 0:
        return translations(language).gettext("free of charge")
    return format_currency(euro, "EUR", locale=locale(language))


def course(row: Course, languages: Sequence[str]) -> str:
    """An Italian course: provider, level, place, cost and how to enrol."""
    _ = translations(languages[0]).gettext
    lines = [_("📘 {provider} – level {level}").format(provider=row.provider, level=row.level)]
    place = ", ".join(part for part in (row.place, row.comune) if part)
    if place:
        lines.append(f"📍 {place}" + (f" ({row.province})" if row.province else ""))
    if row.schedule:
        lines.append(_("🕒 When: {schedule}").format(schedule=row.schedule))
    if row.cost_eur is not None:
        lines.append(_("💶 Cost: {cost}").format(cost=cost(row.cost_eur, languages[0])))
    if enrolment := _local(row.enrolment, languages):
        lines.append(_("✍️ How to enrol: {how}").format(how=enrolment))
    lines += provenance(row, languages[0])
    return "\n".join(lines)


def event_text(row: Event, languages: Sequence[str]) -> dict[str, str] | None:
    """An event's title and text in the first of `languages` it has published, if any."""
    readable = published(row.translations, row.statuses)
    return next((readable[lang] for lang in languages if lang in readable), None)


def _event_text(row: Event, languages: Sequence[str]) -> tuple[str, str]:
    """Title and text to show; the slug alone when nothing is published in `languages`."""
    text = event_text(row, languages)
    return (text["title"], text["text"]) if text else (row.slug, "")


def remind_button(row: Event, languages: Sequence[str]) -> Button:
    """A "remind me" button on an event: a message the day before it."""
    _ = translations(languages[0]).gettext
    title = _event_text(row, languages)[0]
    return Button(
        short(_("🔔 Remind me: {title}").format(title=title)), encode(RemindEvent(row.id))
    )


def event(row: Event, languages: Sequence[str]) -> str:
    """An event: title, date in Europe/Rome time in the user's locale, place and text."""
    title, body = _event_text(row, languages)
    local, where = row.starts_at.astimezone(ROME), locale(languages[0])
    when = (
        f"{format_date(local, 'full', locale=where)}, {format_time(local, 'short', locale=where)}"
    )
    lines = [f"📅 {title}", f"🕒 {when}"]
    place = ", ".join(part for part in (row.place, row.province) if part)
    if place:
        lines.append(f"📍 {place}")
    if body:
        lines.append(body)
    # Staff publish events themselves: only one taken from a dated page says where it comes from.
    if row.source_date is not None:
        lines += provenance(row, languages[0])
    return "\n".join(lines)
