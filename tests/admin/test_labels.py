"""Every key the bot routes to has a name mediators can read, in both interface languages."""

from __future__ import annotations

import pytest

from admin.i18n import LANGUAGES
from admin.labels import route_label
from shared.vocabulary import CATEGORIES, CONVERSATION


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_route_has_a_name(language: str) -> None:
    keys = [*CATEGORIES, *CONVERSATION, "none"]
    names = [route_label(key, language) for key in keys]
    assert all(name and name != key for name, key in zip(names, keys, strict=True))
    assert len(set(names)) == len(keys)


def test_an_unknown_key_is_shown_as_it_is() -> None:
    assert route_label("faq", "it") == "faq"
