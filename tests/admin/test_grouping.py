"""Many ways of asking one thing make one group, in any script; different questions stay apart."""

from __future__ import annotations

from admin.grouping import group, normalise

# Three questions people ask, each in several wordings (typos, accents, word order), per language.
ASKED = {
    "it": [
        [
            "come rinnovo il permesso di soggiorno",
            "rinnovo permesso soggiorno come si fa",
            "come si rinnova il permesso di sogiorno?",
            "permesso di soggiorno rinnovo documenti",
        ],
        [
            "dove posso pescare in provincia di ancona",
            "licenza di pesca ancona",
            "serve la licenza per pescare?",
        ],
        [
            "quanto costa l'abbonamento dell'autobus",
            "abbonamento autobus costo",
            "costo abbonamento bus mensile",
        ],
    ],
    "en": [
        [
            "how do i renew my residence permit",
            "renew residence permit how",
            "residence permit renewal documents",
            "how to renew my permit of stay",
        ],
        ["fishing licence in ancona", "do i need a licence for fishing", "fishing license ancona"],
        ["how much is a monthly bus pass", "bus pass price", "monthly bus pass cost"],
    ],
    "ar": [
        ["كيف اجدد تصريح الاقامة", "تجديد تصريح الإقامة", "كيف أجدد تصريح الاقامة؟"],
        ["رخصة صيد السمك في انكونا", "هل احتاج رخصة لصيد السمك", "رخصة الصيد"],
        ["كم سعر اشتراك الباص الشهري", "سعر اشتراك الباص", "اشتراك الباص الشهري كم"],
    ],
    "zh": [
        ["怎么续签居留许可", "居留许可怎么续签", "续签居留许可需要什么材料"],
        ["在安科纳钓鱼需要执照吗", "钓鱼执照", "钓鱼执照怎么办"],
        ["公交月票多少钱", "公交月票价格", "月票多少钱"],
    ],
}


def test_each_question_is_one_group_in_every_language() -> None:
    for language, questions in ASKED.items():
        texts = [text for wordings in questions for text in wordings]
        topic = [n for n, wordings in enumerate(questions) for _ in wordings]
        groups = group(texts)
        found = sorted(sorted({topic[i] for i in members}) for members in groups)
        assert found == [[0], [1], [2]], (language, [[texts[i] for i in g] for g in groups])


def test_normalise_drops_case_accents_and_punctuation() -> None:
    assert normalise("Perché  il PERMESSO?!") == "perche il permesso"
    assert normalise("أجدد تصريح الإقامة؟") == "اجدد تصريح الاقامة"
