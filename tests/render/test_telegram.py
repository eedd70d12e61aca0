"""Rendered replies are escaped, split and keyed so that Telegram accepts them in any language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import InlineKeyboardMarkup, ReplyKeyboardMarkup

from dialogue.replies import Button, LocationRequest, Reply
from render.telegram import FSI, MAX_TEXT, PDI, isolate_latin, render, split_text, utf16_length
from testbed.botapi import BadRequest, message_text, reply_markup


def accepted(reply: Reply) -> list[str]:
    """The texts Telegram would show for a reply; raises if it would refuse one."""
    shown = []
    for message in render(reply):
        params = {"text": message.text, "parse_mode": message.parse_mode}
        if message.reply_markup:
            params["reply_markup"] = message.reply_markup.to_dict()
            reply_markup(params)
        shown.append(message_text(params))
    return shown


def test_content_is_escaped_and_shown_as_written() -> None:
    text = "Use <b> & </i> as you like: a<b & c>d, &amp; stays"
    [message] = render(Reply(text, "en"))
    assert message.parse_mode == "HTML"
    assert "<b>" not in message.text
    assert accepted(Reply(text, "en")) == [text]


def test_emulator_refuses_unescaped_html() -> None:
    with pytest.raises(BadRequest, match="can't parse entities"):
        message_text({"text": "a <b & c", "parse_mode": "HTML"})
    with pytest.raises(BadRequest, match="can't parse entities"):
        message_text({"text": "<b>bold</i>", "parse_mode": "HTML"})


def test_long_text_splits_at_paragraphs() -> None:
    paragraphs = [f"{n} " + "parola " * 150 for n in range(40)]
    shown = accepted(Reply("\n\n".join(paragraphs), "it"))
    assert len(shown) > 1
    assert all(utf16_length(chunk) <= MAX_TEXT for chunk in shown)
    assert "\n\n".join(shown) == "\n\n".join(paragraphs)


def test_one_huge_paragraph_still_fits() -> None:
    text = "😀" * 5000 + "x" * 9000
    chunks = split_text(text)
    assert "".join(chunks) == text
    assert all(utf16_length(chunk) <= MAX_TEXT for chunk in chunks)


def test_buttons_go_under_the_last_message_only() -> None:
    reply = Reply("a\n\n" + "b" * 5000, "en", [Button("Menu", "menu")])
    messages = render(reply)
    assert [m.reply_markup is not None for m in messages] == [False, False, True]


@pytest.mark.parametrize("payload", ["", "faq:" + "x" * 61, "lang:" + "ع" * 30])
def test_callback_data_over_64_bytes_is_refused(payload: str) -> None:
    with pytest.raises(ValueError, match="1-64"):
        render(Reply("text", "en", [Button("label", payload)]))
    with pytest.raises(BadRequest, match="BUTTON_DATA_INVALID"):
        reply_markup(
            {"reply_markup": {"inline_keyboard": [[{"text": "x", "callback_data": payload}]]}}
        )


def test_latin_names_isolated_in_arabic_and_urdu_only() -> None:
    text = "اذهب إلى Questura di Ancona, Via Gervasoni 19. الموقع: https://www.poliziadistato.it/"
    isolated = isolate_latin(text)
    assert f"{FSI}Questura di Ancona, Via Gervasoni 19{PDI}." in isolated
    assert f"{FSI}https://www.poliziadistato.it/{PDI}" in isolated
    [arabic] = render(Reply(text, "ar"))
    assert FSI in arabic.text
    [urdu] = render(Reply("Questura میں جائیں", "ur"))
    assert urdu.text.startswith(f"{FSI}Questura{PDI}")
    [italian] = render(Reply(text, "it"))
    assert FSI not in italian.text


@given(st.text(min_size=1, max_size=10_000).filter(str.strip))
def test_any_text_renders_to_valid_messages(text: str) -> None:
    for language in ("it", "ar"):
        shown = accepted(Reply(text, language))
        assert all(0 < utf16_length(chunk) <= MAX_TEXT for chunk in shown)


def test_commands_stay_tappable_in_rtl_text() -> None:
    isolated = isolate_latin("أرسل /deletedata لحذف بياناتك، أو /start")
    assert "/deletedata " in isolated and isolated.endswith("/start")


def test_votes_share_a_row_other_buttons_do_not() -> None:
    buttons = [Button("Rinnovo", "faq:a"), Button("👍", "fb:+:a"), Button("👎", "fb:-:a")]
    buttons.append(Button("Parla con una persona", "human"))
    [message] = render(Reply("testo", "it", buttons))
    assert isinstance(message.reply_markup, InlineKeyboardMarkup)
    rows = [[b.text for b in row] for row in message.reply_markup.inline_keyboard]
    assert rows == [["Rinnovo"], ["👍", "👎"], ["Parla con una persona"]]


def test_location_invitation_is_a_reply_keyboard_below_the_answer() -> None:
    reply = Reply("Provincia?", "uk", [Button("Ancona", "area:AN")], LocationRequest("Або…", "📍"))
    first, second = render(reply)
    assert isinstance(first.reply_markup, InlineKeyboardMarkup)
    assert isinstance(second.reply_markup, ReplyKeyboardMarkup)
    assert second.reply_markup.keyboard[0][0].request_location
