"""The main, Services, language, area and town menus, and the buttons back to them."""

from __future__ import annotations

from dialogue.content import ContentBase
from dialogue.labels import category_label
from dialogue.payloads import (
    ChooseLanguage,
    SetArea,
    ShowCategory,
    ShowLanguages,
    ShowMenu,
    ShowServices,
    SkipArea,
    encode,
    fits,
)
from dialogue.replies import Button, LocationRequest, Reply
from shared.i18n import NATIVE_NAMES, translations
from shared.settings import Settings
from shared.vocabulary import PROVINCE_NAMES, SERVICE_MENU

MAX_TOWNS = 8  # town buttons under the province


class Menus:
    """Menus are the same for every user but their language: payloads never depend on it."""

    def __init__(self, content: ContentBase, settings: Settings) -> None:
        self.content = content
        self.settings = settings

    def menu_button(self, language: str) -> Button:
        """Back to the main menu."""
        return Button(translations(language).gettext("Main menu"), encode(ShowMenu()))

    def menu_buttons(self, language: str) -> list[Button]:
        """The four main topics."""
        _ = translations(language).gettext
        return [
            Button(_("Services"), encode(ShowServices())),
            Button(
                category_label("language_courses", language),
                encode(ShowCategory("language_courses")),
            ),
            Button(category_label("housing", language), encode(ShowCategory("housing"))),
            Button(category_label("events", language), encode(ShowCategory("events"))),
        ]

    def main_menu(self, language: str) -> Reply:
        """Main menu with a language switch."""
        _ = translations(language).gettext
        buttons = [
            *self.menu_buttons(language),
            Button("🌐 " + _("Language"), encode(ShowLanguages())),
        ]
        return Reply(
            _("What do you need? Choose a topic or write your question."), language, buttons
        )

    def services_menu(self, language: str) -> Reply:
        """Services sub-menu: permits, health, work, school, legal help, social, emergencies."""
        _ = translations(language).gettext
        buttons = [
            Button(category_label(key, language), encode(ShowCategory(key)))
            for key in SERVICE_MENU
        ]
        return Reply(_("Which service?"), language, [*buttons, self.menu_button(language)])

    def languages_menu(self, language: str) -> Reply:
        """The language picker, each language in its own script."""
        _ = translations(language).gettext
        buttons = [
            Button(name, encode(ChooseLanguage(code)))
            for code, name in NATIVE_NAMES.items()
            if code in self.settings.languages
        ]
        return Reply(_("Choose your language"), language, buttons)

    def area_menu(self, language: str) -> Reply:
        """Optional: the province, so offices near the user come first."""
        _ = translations(language).gettext
        text = _(
            "Which province do you live in? I use it only to show you the offices nearby. "
            "You can skip this and tell me later with /area."
        )
        buttons = [Button(name, encode(SetArea(code))) for code, name in PROVINCE_NAMES.items()]
        return Reply(
            text,
            language,
            [*buttons, Button(_("Skip"), encode(SkipArea()))],
            LocationRequest(
                _("Or share your location to see the nearest offices."),
                _("📍 Share my location"),
            ),
        )

    def town_menu(self, province: str, language: str) -> Reply:
        """The comuni of a province that have offices; any other can be typed."""
        _ = translations(language).gettext
        towns = [
            Button(town, encode(SetArea(province, town)))
            for town in self.content.towns(province)
            if fits(SetArea(province, town))
        ][:MAX_TOWNS]
        text = _("Province: {province}. Which town? Choose it, or write its name.").format(
            province=PROVINCE_NAMES[province]
        )
        return Reply(text, language, [*towns, Button(_("Skip"), encode(SkipArea()))])
