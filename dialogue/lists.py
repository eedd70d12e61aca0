"""What the content holds on a topic or near a point: offices, courses, events, FAQs."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from babel.numbers import format_decimal

from content.geo import valid_coordinates
from content.offices import named_first
from content.places import Gazetteer
from content.risks import risks
from dialogue import format as fmt
from dialogue.content import ContentBase, Voices
from dialogue.labels import category_label, short
from dialogue.menus import Menus
from dialogue.payloads import (
    AskPerson,
    ListenOffice,
    SetArea,
    ShowCategory,
    ShowFaq,
    ShowNearby,
    ShowOffice,
    encode,
)
from dialogue.replies import Button, Reply
from nlu.risk import Danger
from shared.i18n import locale, translations
from shared.settings import Settings
from shared.vocabulary import CATEGORIES, NEAREST, PROVINCE_NAMES, SERVICE_MENU
from storage.content import Service

# Categories whose offices are national (emergency numbers): no province needed.
NATIONAL = frozenset({"emergency"})
# Categories with offices, courses or events in each province: an answer about them lists those.
LOCAL = frozenset(CATEGORIES) - NATIONAL
# Categories offered after a shared location: those with local offices.
NEARBY = (*(key for key in SERVICE_MENU if key not in NATIONAL), "language_courses", "housing")
# Farther than this from every office, the user is probably outside the region.
OUTSIDE_KM = 60.0
MAX_REMINDERS = 5  # "remind me" buttons under the event list (the soonest events)
MAX_OFFICE_BUTTONS = 6  # "more" buttons under a list of offices, one per office, in its order


class Lists:
    """Reads the content in the user's language chain and records nothing."""

    def __init__(
        self,
        content: ContentBase,
        settings: Settings,
        places: Gazetteer,
        menus: Menus,
        voices: Voices,
    ) -> None:
        self.content = content
        self.settings = settings
        self.places = places
        self.menus = menus
        self.voices = voices

    def faq_buttons(self, slugs: Sequence[str], language: str) -> list[Button]:
        """Buttons that open FAQs, labelled with their questions."""
        questions = self.content.faq_questions(slugs, fallback_chain(self.settings, language))
        return [Button(short(questions.get(slug, slug)), encode(ShowFaq(slug))) for slug in slugs]

    def category_faq_buttons(
        self, category: str, language: str, limit: int, skip: str | None = None
    ) -> list[Button]:
        """Buttons to a category's first FAQs (but `skip`), labelled with their questions."""
        questions = self.content.faqs_in_category(
            category, fallback_chain(self.settings, language)
        )
        slugs = [slug for slug in questions if slug != skip][:limit]
        return [Button(short(questions[slug]), encode(ShowFaq(slug))) for slug in slugs]

    def category_replies(
        self,
        category: str,
        language: str,
        province: str | None,
        office: str | None = None,
        kinds: Sequence[str] = (),
    ) -> list[Reply]:
        """Offices, courses or events of a category, in the province when one is known.

        `office` is the kind of office the user named: those offices come first. `kinds` are
        those that serve the question answered (an FAQ's): only they are listed, in that order.
        """
        _ = translations(language).gettext
        chain = fallback_chain(self.settings, language)
        topic = category_label(category, language)
        faq_buttons = self.category_faq_buttons(category, language, 3)
        if category == "events":
            upcoming = self.content.events(province, datetime.now(UTC))
            # An event nobody published a text of in these languages is not shown yet.
            events = [e for e in upcoming if fmt.event_text(e, chain)]
            text = (
                "\n\n".join(fmt.event(e, chain) for e in events)
                if events
                else _(
                    "There are no upcoming events in this area yet. Regional staff publish "
                    "them here as soon as they are announced."
                )
            )
            reminders = [fmt.remind_button(e, chain) for e in events[:MAX_REMINDERS]]
            buttons = [*reminders, *faq_buttons, self.menus.menu_button(language)]
            return [Reply(text, language, buttons)]
        if province is None and category not in NATIONAL:
            national = self.content.services(category, None)
            national = [s for s in national if s.province is None]
            text = "\n\n".join(
                [
                    *(fmt.service(s, chain) for s in national),
                    _("{topic}: which province are you in?").format(topic=topic),
                ]
            )
            buttons = [
                Button(name, encode(ShowCategory(category, code, office, tuple(kinds))))
                for code, name in PROVINCE_NAMES.items()
            ]
            return [Reply(text, language, buttons)]
        services = (
            self.content.services_of_kinds(kinds, province)
            if kinds
            else self.content.services(category, province)
        )
        courses = self.content.courses(province) if category == "language_courses" else []
        where = PROVINCE_NAMES[province] if province else "Italia"
        rows: list[str] = []
        if province is not None and not courses and all(s.province is None for s in services):
            nearest = self.nearest_offices(category, province, kinds)
            if nearest is not None:
                near, services = nearest
                rows.append(
                    _(
                        "Nothing is listed for this topic in {place} yet. The nearest offices, "
                        "in {other}:"
                    ).format(place=where, other=PROVINCE_NAMES[near])
                )
                courses = self.content.courses(near) if category == "language_courses" else []
        named, others = named_first(services, office)
        rows += [fmt.card(s, chain) for s in named]
        rows += [fmt.course(c, chain) for c in courses]
        rows += [fmt.card(s, chain) for s in others]
        if any(s.verified_on is None and not fmt.by_law(s) for s in services):
            rows.append(fmt.unverified_note(language))
        heading = _("{topic} – {place}").format(topic=topic, place=where)
        body = (
            "\n\n".join(rows)
            if rows
            else _("I have no offices listed for this topic in this area yet.")
        )
        buttons = [
            *(
                Button(short(f"ℹ️ {s.name}"), encode(ShowOffice(s.slug)))
                for s in [*named, *others][:MAX_OFFICE_BUTTONS]
            ),
            *faq_buttons,
            Button(_("Talk to a person"), encode(AskPerson(category))),
            self.menus.menu_button(language),
        ]
        return [Reply(f"{heading}\n\n{body}", language, buttons)]

    def office_reply(self, slug: str, language: str) -> Reply:
        """Everything known about one office, where its facts come from, and a person."""
        _ = translations(language).gettext
        office = self.content.service(slug)
        if office is None:
            return self.menus.main_menu(language)
        buttons = [
            Button(_("Talk to a person"), encode(AskPerson(office.category_key))),
            self.menus.menu_button(language),
        ]
        if self.voices.speaks(language):
            buttons.insert(0, Button(_("🔊 Listen"), encode(ListenOffice(slug))))
        return Reply(
            fmt.service(office, fallback_chain(self.settings, language)), language, buttons
        )

    def office_speech(self, slug: str, language: str) -> str | None:
        """What "🔊 Listen" reads of an office card; None for an office no longer there."""
        office = self.content.service(slug)
        return fmt.spoken(office, fallback_chain(self.settings, language)) if office else None

    def nearest_offices(
        self, category: str, province: str, kinds: Sequence[str] = ()
    ) -> tuple[str, list[Service]] | None:
        """The nearest other province with offices of its own for the category (of those kinds,
        when given), and what a person finds there: those offices first, then the regional and
        national ones."""
        every = (
            self.content.services_of_kinds(kinds, None)
            if kinds
            else self.content.services(category, None)
        )
        near = next((p for p in NEAREST[province] if any(s.province == p for s in every)), None)
        if near is None:
            return None
        return near, [s for s in every if s.province == near] + [
            s for s in every if s.province is None
        ]

    def nearby_reply(
        self, language: str, latitude: float, longitude: float, category: str | None
    ) -> Reply:
        """The offices nearest a point, with distances; by topic once one is chosen."""
        _ = translations(language).gettext
        if not valid_coordinates(latitude, longitude):
            return self.menus.main_menu(language)
        found = self.content.nearest(latitude, longitude, category, 3 if category else 5)
        if not found:
            text = _("I have no offices with a known location for this topic yet.")
            return Reply(text, language, [self.menus.menu_button(language)])
        chain = fallback_chain(self.settings, language)
        rows = [
            fmt.service(row, chain)
            + "\n"
            + _("📏 about {distance} km from you (to the town centre)").format(
                distance=format_decimal(round(km, 1), locale=locale(language))
            )
            for row, km in found
        ]
        heading = (
            _("Nearest offices: {topic}").format(topic=category_label(category, language))
            if category
            else _("The offices nearest to you:")
        )
        parts = [heading, *rows]
        nearest, km = found[0]
        buttons: list[Button] = []
        if km > OUTSIDE_KM:
            parts.insert(0, _("You seem to be outside the Marche region."))
        elif nearest.province and nearest.comune and self.places.comune(nearest.comune):
            buttons.append(
                Button(
                    _("Set my area: {place}").format(place=nearest.comune),
                    encode(SetArea(nearest.province, nearest.comune)),
                )
            )
        if category is None:
            buttons += [
                Button(category_label(key, language), encode(ShowNearby(key, latitude, longitude)))
                for key in NEARBY
            ]
        buttons.append(self.menus.menu_button(language))
        return Reply("\n\n".join(parts), language, buttons)

    def emergency_numbers(self, language: str) -> Reply:
        """The national emergency numbers from the content base: never wait for a person."""
        _ = translations(language).gettext
        return Reply(_numbers(_("In an emergency do not wait, call:"), self._national()), language)

    def danger_numbers(self, danger: Danger, language: str) -> Reply:
        """For a person in danger, first: the numbers of each danger class it shows.

        Sure, a warning that says what to do above them; unsure, only the numbers, in one line,
        so that a routine question pays one line for the recall.
        """
        classes = risks().classes
        slugs = dict.fromkeys(s for kind in danger.kinds for s in classes[kind].numbers)
        by_slug = {service.slug: service for service in self._national()}
        rows = [by_slug[slug] for slug in slugs if slug in by_slug] or self._national()
        if danger.sure:
            header = classes[danger.kinds[0]].message[language]
            return Reply(_numbers(f"⚠️ {header}", rows), language)
        _ = translations(language).gettext
        phones = " · ".join(f"☎️ {service.phone}" for service in rows)
        return Reply(_("In an emergency: {phones}").format(phones=phones), language)

    def _national(self) -> list[Service]:
        return [s for s in self.content.services("emergency", None) if s.phone]


def _numbers(header: str, services: Sequence[Service]) -> str:
    """A line per service, its phone first: "☎️ 800 290 290 – Numero Verde Antitratta"."""
    lines = [
        f"☎️ {s.name}" if s.name.startswith(s.phone or "") else f"☎️ {s.phone} – {s.name}"
        for s in services
    ]
    return "\n".join([header, *lines])


def listed(category: str, province: str | None) -> bool:
    """Whether an answer on `category` is followed by what there is of it in the province."""
    return province is not None and category in LOCAL


def fallback_chain(settings: Settings, language: str) -> list[str]:
    """Languages to try for content: the user's, then the configured fallbacks."""
    return list(dict.fromkeys([language, *settings.fallback_languages]))
