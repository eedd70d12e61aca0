"""The card a person shows at an office's desk: what they need and bring, in Italian first.

The Italian sentences are content written for each FAQ (a translation's `desk`), never machine
translation; the office is the one of the user's province that the answer lists first.
"""

from __future__ import annotations

from collections.abc import Sequence

from content.repository import DESK_LANGUAGE, Desk, FaqAnswer, FaqDesks
from dialogue.content import ContentBase
from dialogue.lists import Lists
from dialogue.menus import Menus
from dialogue.payloads import ShowDesk, encode
from dialogue.replies import Button, Reply
from shared.i18n import RTL, translations
from storage.content import Service

# Each line of a block starts with its direction's mark, so that an app that sets a line's
# direction from its first letter shows the Italian left to right above Arabic or Urdu right to
# left, whichever comes first in the message (a line of a Latin name or a bullet has none).
LRM, RLM = "\u200e", "\u200f"
MAX_OFFICES = 2  # offices on a card: the first of each kind the FAQ names
CALLED = frozenset({"emergency_line"})  # kinds of office one calls rather than visits


def desk_button(answer: FaqAnswer, language: str, province: str | None) -> Button | None:
    """ "🇮🇹 Show at the office" under an FAQ that names an office and has its Italian card."""
    if not (answer.at_desk and answer.offices):
        return None
    _ = translations(language).gettext
    return Button(_("🇮🇹 Show at the office"), encode(ShowDesk(answer.slug, province)))


def _block(desk: Desk, language: str, offices: Sequence[Service], mark: str) -> list[str]:
    """One language's half of the card: the need, the office, the documents."""
    _ = translations(language).gettext
    lines = [desk.need]
    if offices:
        names = " / ".join(office.name for office in offices)
        lines.append(_("Office: {office}").format(office=names))
    if desk.documents:
        lines.append(_("I bring:"))
        lines += [f"• {document}" for document in desk.documents]
    return [f"{mark}{line}" for line in lines]


def card_text(
    italian: Desk, own: Desk | None, language: str, offices: Sequence[Service] = ()
) -> str:
    """The card: the Italian half, then the user's language's (or a note that there is none);
    the Italian only for an Italian user."""
    _ = translations(language).gettext
    rtl = language in RTL
    blocks = [_block(italian, DESK_LANGUAGE, offices, LRM if rtl else "")]
    if language != DESK_LANGUAGE:
        mark = RLM if rtl else ""
        if own is not None:
            blocks.append(_block(own, language, offices, mark))
        else:
            blocks.append([mark + _("This card is not yet written in your language.")])
    return "\n\n".join("\n".join(block) for block in blocks)


class DeskCards:
    """Reads an FAQ's desk cards and the offices of the user's province."""

    def __init__(self, content: ContentBase, lists: Lists, menus: Menus) -> None:
        self.content = content
        self.lists = lists
        self.menus = menus

    def offices(self, found: FaqDesks, province: str | None) -> list[Service]:
        """The first office of each kind the FAQ names, in its order, at most two: the
        province's own or a regional one (ERDIS), else the nearest province's, as the answer's
        list has them; a number to call is no desk. None when the province is not known."""
        if province is None or not found.offices:
            return []
        kinds = [kind for kind in found.offices if kind not in CALLED]
        services = self.content.services_of_kinds(kinds, province) if kinds else []
        if not any(s.province == province for s in services):
            nearest = self.lists.nearest_offices(found.category, province, kinds)
            services = nearest[1] if nearest and kinds else services
        first = {s.kind: s for s in reversed(services)}  # each kind's first office
        return [first[kind] for kind in kinds if kind in first][:MAX_OFFICES]

    def card(self, slug: str, language: str, province: str | None) -> Reply:
        """Italian first (for the clerk), then the same in the user's language; an FAQ with no
        published Italian card (unpublished, or a forged button) is no longer listed."""
        _ = translations(language).gettext
        found = self.content.faq_desks(slug, list(dict.fromkeys([DESK_LANGUAGE, language])))
        menu = self.menus.menu_button(language)
        if found is None or DESK_LANGUAGE not in found.desks or not found.offices:
            return Reply(_("This answer is no longer listed."), language, [menu])
        offices = self.offices(found, province)
        text = card_text(found.desks[DESK_LANGUAGE], found.desks.get(language), language, offices)
        if not offices:
            where = _("Tell me your province with /area to see the offices near you.")
            text += "\n" + (RLM if language in RTL else "") + where
        return Reply(text, language, [menu])
