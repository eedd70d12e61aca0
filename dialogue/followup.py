"""A follow-up that names only a place ("and in Fermo?", "e a Macerata?", "وفي فيرمو؟") asks the
previous topic again, for that place."""

from __future__ import annotations

from content.places import Gazetteer, Place
from content.text import fold, words

# The words that may stand around a place name in such a follow-up: "and", "in", "what about",
# "the province of". Anything else makes the message a question of its own.
CONNECTORS = {
    "it": "e ed a ad in di da per nel nella nei nelle invece anche allora ma o oppure mentre "
    "quanto riguarda provincia città zona comune",
    "en": "and in at for of the what about how also then or near around there province city "
    "town area",
    "fr": "et à a en au aux dans pour de du la le les quoi qu est il alors aussi ou province "
    "ville région",
    "ar": "و في وفي ب وب ل ول عن ماذا وماذا بالنسبة وبالنسبة إلى الى أو او مدينة محافظة مقاطعة "
    "منطقة",
    "sq": "dhe e në po edhe për te tek si çfarë ose ndërsa provincë provinca provincën qytet "
    "qyteti qytetin zonë zona",
    "uk": "і й а та в у до щодо як що про або провінції провінція місті місто області",
    "zh": "那 那么 在 呢 吗 和 还有 的话 如果 怎么样 怎样 呀 啊 也 省 市 地区 那边 那里",
    "ur": "اور میں کے کی کا لیے بارے کیا پھر یا شہر صوبہ صوبے علاقے علاقہ",
    "bn": "আর এবং ও তে এ য় র এর কী কি জন্য বা তাহলে শহরে জেলায় প্রদেশে",
    "es": "y e en a de para la el los qué tal también o pues provincia ciudad zona",
}
_WORDS = frozenset(fold(word) for text in CONNECTORS.values() for word in text.split())
# Chinese is written without spaces: a run of these characters is connectors only.
_HAN = frozenset("".join(CONNECTORS["zh"].split()))


def _connector(word: str) -> bool:
    return word in _WORDS or set(word) <= _HAN


def _glued(word: str, places: Gazetteer) -> Place | None:
    """A place name with a particle written onto it: Arabic "وفيرمو", Bengali "ফের্মোতে"."""
    if word in places.names:
        return places.names[word]
    for particle in _WORDS:
        if word.startswith(particle) and word[len(particle) :] in places.names:
            return places.names[word[len(particle) :]]
        if word.endswith(particle) and word[: -len(particle)] in places.names:
            return places.names[word[: -len(particle)]]
    return None


def only_place(text: str, places: Gazetteer) -> Place | None:
    """The place a message names when the rest of it is only connector words."""
    folded = fold(text)
    found = places.index.locate(folded)
    place = None
    if found is not None:
        place, start, end = found
        folded = f"{folded[:start]} {folded[end:]}"
    for word in words(folded):
        if _connector(word):
            continue
        glued = _glued(word, places)
        if glued is None:
            return None
        place = place or glued
    return place
