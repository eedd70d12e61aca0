"""Voices page: a mediator listens to a language's voice and switches it, on both databases."""

from __future__ import annotations

import base64
import re

import httpx

from dialogue.payloads import Listen, ShowFaq, encode
from tests.support.admin import csrf_token


async def test_a_mediator_switches_a_voice_on_and_off(mediator: httpx.AsyncClient) -> None:
    page = await mediator.get("/voices")
    assert page.status_code == 200
    assert 'data-testid="voice-ar"' in page.text and "<audio" in page.text
    row = page.text.split('data-testid="voice-ar"')[1].split("</tr>")[0]
    assert 'name="on" value="1"' in row  # Arabic is off by default: the button switches it on
    token = csrf_token(page.text)

    switched = await mediator.post("/voices/ar", data={"csrftoken": token, "on": "1"})
    assert switched.status_code == 303
    row = (await mediator.get("/voices")).text.split('data-testid="voice-ar"')[1]
    assert 'name="on" value="0"' in row.split("</tr>")[0]

    await mediator.post("/voices/ar", data={"csrftoken": token, "on": "0"})
    row = (await mediator.get("/voices")).text.split('data-testid="voice-ar"')[1]
    assert 'name="on" value="1"' in row.split("</tr>")[0]
    assert (await mediator.post("/voices/xx", data={"csrftoken": token})).status_code == 404


async def test_the_sample_plays_the_file_the_bot_sends(mediator: httpx.AsyncClient) -> None:
    audio = await mediator.get("/faqs/permit_renewal/ar/voice")
    assert audio.status_code == 200 and audio.headers["content-type"] == "audio/ogg"
    assert audio.content.startswith(b"OggS") and audio.content[28:36] == b"OpusHead"
    assert (await mediator.get("/faqs/no_such_faq/ar/voice")).status_code == 404


async def test_try_the_bot_plays_the_voice_note(mediator: httpx.AsyncClient) -> None:
    token = csrf_token((await mediator.get("/try")).text)
    answer = await mediator.post(
        "/try", data={"csrftoken": token, "payload": encode(ShowFaq("permit_renewal"))}
    )
    listen = encode(Listen("permit_renewal"))
    assert f'value="{listen}"' in answer.text  # Italian's voice is on by default
    played = await mediator.post("/try", data={"csrftoken": token, "payload": listen})
    (note,) = re.findall(r'<audio controls src="data:audio/ogg;base64,([^"]+)">', played.text)
    data = base64.b64decode(note)
    assert data.startswith(b"OggS") and data[28:36] == b"OpusHead"
