"""Place names in any script resolve to the right Marche province."""

from __future__ import annotations

import pytest

from content.places import Gazetteer, gazetteer, istat_comuni


def test_istat_list_has_every_marche_comune() -> None:
    comuni = istat_comuni()
    assert len(comuni) == 225
    assert set(comuni.values()) == {"AN", "AP", "FM", "MC", "PU"}
    assert comuni["Porto Recanati"] == "MC"
    assert comuni["Fermo"] == "FM"


@pytest.mark.parametrize(
    ("text", "province"),
    [
        ("corso di italiano ad ancona", "AN"),
        ("أين الكويستورا في أنكونا", "AN"),
        ("我住在马切拉塔", "MC"),
        ("квартира в Анконі", None),  # inflected Ukrainian forms are not guessed
        ("questura di Pesaro", "PU"),
        ("ufficio a san benedetto del tronto", "AP"),
        ("Porto Recanati Hotel House", "MC"),
        ("lido tre archi fermo", "FM"),
        ("abito al Lido Tre Archi", "FM"),
        ("scuola a tre archi", "FM"),
        ("vivo all'Hotel House", "MC"),
        ("Sant'Elpidio a Mare", "FM"),
        ("may the force be with you", None),
        ("anconetano", None),
    ],
)
def test_finds_province(text: str, province: str | None) -> None:
    place = gazetteer().find(text)
    assert (place.province if place else None) == province


def test_longest_name_wins() -> None:
    places = Gazetteer({"Porto Recanati": "MC", "Recanati": "MC", "Porto San Giorgio": "FM"}, {})
    found = places.find("vivo a porto san giorgio")
    assert found is not None and found.comune == "Porto San Giorgio"


def test_unknown_comune_in_spellings_is_an_error() -> None:
    with pytest.raises(ValueError, match="Atlantide"):
        Gazetteer({"Ancona": "AN"}, {"Atlantide": ["x"]})


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("questura di Macerata", "questura"),
        ("Où est la questura de Fermo ?", "Où est la questura ?"),
        ("e la questura a Fermo?", "e la questura?"),
        ("lavoro in provincia di Ancona per me", "lavoro per me"),
        ("在费尔莫怎么续签居留许可？", "怎么续签居留许可？"),
        ("ماچیراتا میں مفت اطالوی کہاں", "مفت اطالوی کہاں"),
        ("corso a Ascoli Piceno o a Fermo", "corso"),
        ("Macerata哪里可以办国际汇款", "哪里可以办国际汇款"),
        ("شو في بماتشيراتا للأطفال", "شو للأطفال"),
        ("মাচেরাতায় কি হচ্ছে", "কি হচ্ছে"),
        ("se me venció el permiso y estoy enfermo", "se me venció el permiso y estoy enfermo"),
        ("è aperto?", "è aperto?"),
        ("Fermo", "Fermo"),  # nothing but the place: the text as it is
    ],
)
def test_without_cuts_every_place_name(text: str, kept: str) -> None:
    assert gazetteer().without(text) == kept
