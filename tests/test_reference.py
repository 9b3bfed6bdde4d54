"""The reference lists: one loader, one matching rule."""

from __future__ import annotations

from pipelines.common.reference import match_key, name_list, word_list
from pipelines.extract.facts import lookup_province
from pipelines.extract.units import lookup_unit


def test_one_rule_ignores_diacritics_case_punctuation_and_slash_spacing() -> None:
    assert match_key("Tạ /ha") == match_key("tạ/ ha") == "ta/ha"
    assert match_key("Thuỷ sản") == match_key("THỦY SẢN")
    assert match_key("Đường") == "duong"
    assert match_key("%") == "%"
    assert match_key("‰") == "‰"


def test_an_empty_name_matches_nothing() -> None:
    assert lookup_unit("") is None and lookup_unit("  ") is None


def test_every_list_is_read_the_same_way() -> None:
    assert lookup_unit("tạ /HA") == lookup_unit("Tạ/ha") is not None
    assert lookup_province("Cao  Bằng") == lookup_province("cao bang") is not None
    crops = name_list("crops.csv", "crop_vi")
    assert crops.lookup("dè") == crops.lookup("Dẻ") is not None
    assert "dat" in word_list("narrative_stop_words.csv")
