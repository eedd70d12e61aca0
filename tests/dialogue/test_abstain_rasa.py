"""What the content does not cover gets "I don't know" and a person, from Rasa or, with Rasa
down, from the full-text search."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from content.repository import published_translations
from dialogue.app import build_dialogue
from dialogue.chats import Chats
from dialogue.core import Dialogue
from dialogue.payloads import AskPerson, encode
from dialogue.understanding import Decision
from shared.settings import Settings
from shared.vocabulary import LANGUAGES
from storage.content import Faq
from storage.inbox import InboxQuestion
from storage.users import UserState
from testbed.fakes import FakeNlu
from tests.support.content import shown_first
from tests.support.conversation import NEW_CHAT

# Three service-like topics no FAQ covers and no training example names (a second-hand bicycle,
# a vet for a cat, the day the rubbish is collected), as a newcomer would ask them.
UNCOVERED = {
    "it": [
        "dove posso comprare una bici usata?",
        "il mio gatto deve fare i vaccini, dove trovo un veterinario?",
        "quando passa la raccolta dei rifiuti nella mia via?",
    ],
    "en": [
        "where can I buy a second-hand bicycle?",
        "my cat needs its vaccines, where is a vet?",
        "which day is the rubbish collected in my street?",
    ],
    "fr": [
        "où acheter un vélo d'occasion ?",
        "mon chat doit être vacciné, où trouver un vétérinaire ?",
        "quel jour passent les poubelles dans ma rue ?",
    ],
    "ar": [
        "أين يمكنني شراء دراجة هوائية مستعملة؟",
        "قطتي تحتاج إلى لقاحات، أين أجد طبيبًا بيطريًا؟",
        "متى تمر شاحنة جمع القمامة في شارعي؟",
    ],
    "sq": [
        "ku mund të blej një biçikletë të përdorur?",
        "macja ime duhet të vaksinohet, ku ka veteriner?",
        "cilën ditë mblidhen mbeturinat në rrugën time?",
    ],
    "uk": [
        "де можна купити вживаний велосипед?",
        "моїй кішці потрібні щеплення, де знайти ветеринара?",
        "коли вивозять сміття на моїй вулиці?",
    ],
    "zh": [
        "在哪里可以买到二手自行车？",
        "我的猫需要打疫苗，兽医在哪里？",
        "我家这条街什么时候收垃圾？",
    ],
    "ur": [
        "پرانی سائیکل کہاں سے خرید سکتا ہوں؟",
        "کیا میں اپنی بلی کو ویٹرنری ڈاکٹر کے پاس رجسٹر کروا سکتا ہوں؟",
        "میری گلی میں کوڑا کب اٹھایا جاتا ہے؟",
    ],
    "bn": [
        "পুরনো সাইকেল কোথায় কিনতে পারি?",
        "আমার বিড়ালের টিকা দিতে হবে, পশু ডাক্তার কোথায় পাব?",
        "আমার রাস্তায় কবে ময়লা নিতে আসে?",
    ],
    "es": [
        "¿dónde puedo comprar una bicicleta de segunda mano?",
        "mi gato necesita vacunas, ¿dónde hay un veterinario?",
        "¿qué día recogen la basura en mi calle?",
    ],
}


@pytest.mark.rasa
async def test_uncovered_questions_get_no_information_and_a_person_first(
    dialogue: Dialogue, seeded: sessionmaker[Session]
) -> None:
    abstained: dict[str, list[str]] = {language: [] for language in UNCOVERED}
    chats = Chats(dialogue, seeded)
    for language, questions in UNCOVERED.items():
        # The abstain reply's two wordings: with the closest topics, or with the menu.
        no_information = {dialogue.answers.abstain(language, s).text for s in ([], ["health"])}
        for text in questions:
            turn = await chats.text(NEW_CHAT, UserState(language), text)
            assert turn.understanding is not None and turn.language == language, text
            if turn.decision is not Decision.DECLINE:
                continue
            abstained[language].append(text)
            reply = turn.replies[-1]
            assert reply.text in no_information, (language, reply.text)
            assert reply.buttons[0].payload == encode(AskPerson())
            assert len(reply.buttons) >= 2  # the closest topics, or the menu, after the person
    with seeded() as session:
        kept = set(session.scalars(select(InboxQuestion.text)))
    assert {text for texts in abstained.values() for text in texts} <= kept
    # Not a vacuous pass: in every language most of these get "I don't know".
    assert all(len(texts) >= 2 for texts in abstained.values()), abstained


@pytest.mark.rasa
@pytest.mark.parametrize("language", LANGUAGES)
async def test_a_covered_question_still_gets_its_faq(
    dialogue: Dialogue, seeded: sessionmaker[Session], language: str
) -> None:
    with seeded() as session:
        faqs = session.scalars(select(Faq).order_by(Faq.slug)).all()
        texts = {f.slug: published_translations(f)[language] for f in faqs[::7]}
    answered = 0
    for slug, text in texts.items():
        turn = await dialogue.handle_text(UserState(language), text.question)
        assert turn.understanding is not None
        if dialogue.understander.answers(turn.understanding):
            answered += 1
            assert turn.understanding.faq == slug, text.question
            assert any(shown_first(text) in reply.text for reply in turn.replies)
    assert answered >= len(texts) - 1, (language, answered, len(texts))


async def test_with_rasa_down_search_says_it_does_not_know_and_still_answers_faqs(
    settings: Settings, seeded: sessionmaker[Session]
) -> None:
    dialogue = build_dialogue(settings, seeded, FakeNlu(down=True), record=False)
    for language, questions in UNCOVERED.items():
        no_information = {dialogue.answers.abstain(language, s).text for s in ([], ["health"])}
        answered = []
        for text in questions:
            turn = await dialogue.handle_text(UserState(language), text)
            assert turn.understanding is not None and turn.understanding.engine == "search"
            if dialogue.understander.answers(turn.understanding):
                answered.append(text)
            else:
                assert turn.replies[-1].text in no_information, (language, turn.replies[-1].text)
        assert len(answered) <= 1, (language, answered)
    with seeded() as session:
        faq = session.scalars(select(Faq).order_by(Faq.slug)).first()
        assert faq is not None
        question = published_translations(faq)["ar"].question
    turn = await dialogue.handle_text(UserState("ar"), question)
    assert turn.understanding is not None and turn.understanding.faq == faq.slug
    assert dialogue.understander.answers(turn.understanding)
