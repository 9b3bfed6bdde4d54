"""Legacy Vietnamese encodings: samples NOT produced by our own tables.

TCVN3 samples come from GNU iconv's TCVN5712-1 converter (an independent implementation) and from
the classic hand-typed header every TCVN3 document starts with; VNI samples are typed by hand as
VNI-Times documents show them in a Unicode font.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from pipelines.document.legacy import from_tcvn3, from_vni, guess_encoding
from pipelines.document.read import parse_document

UNICODE = (
    "Cộng hòa xã hội chủ nghĩa Việt Nam; tình hình thực hiện kế hoạch; Độc lập - Tự do - Hạnh phúc; "
    "ước thực hiện năm 2022; sản lượng lúa, ngô, đậu tương; quả lựu; Ăn uống; Ơn; Ưng; Âm; đường"
)
# Typed by hand, as a .VnTime document reads in a Unicode font.
TCVN3_BY_HAND = "Céng hoµ x· héi chñ nghÜa ViÖt Nam. §éc lËp - Tù do - H¹nh phóc"
# Typed by hand, as a VNI-Times document reads in a Unicode font.
VNI_BY_HAND = "Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam. COÄNG HOØA. Ñoäc laäp - Töï do - Haïnh phuùc. Ñöôøng"


def _iconv_tcvn3(text: str) -> bytes:
    if shutil.which("iconv") is None:
        pytest.skip("GNU iconv is not installed")
    return subprocess.run(
        ["iconv", "-f", "UTF-8", "-t", "TCVN5712-1"], input=text.encode(), capture_output=True, check=True
    ).stdout


def test_tcvn3_from_an_independent_converter() -> None:
    legacy = _iconv_tcvn3(UNICODE).decode("latin-1")
    assert guess_encoding(legacy) == "tcvn3"
    assert from_tcvn3(legacy) == UNICODE


def test_tcvn3_typed_by_hand() -> None:
    assert guess_encoding(TCVN3_BY_HAND) == "tcvn3"
    assert from_tcvn3(TCVN3_BY_HAND) == "Cộng hoà xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc"


def test_vni_typed_by_hand() -> None:
    assert guess_encoding(VNI_BY_HAND) == "vni"
    assert from_vni(VNI_BY_HAND) == (
        "Cộng hòa xã hội chủ nghĩa Việt Nam. CỘNG HÒA. Độc lập - Tự do - Hạnh phúc. Đường"
    )


def test_unicode_text_is_left_alone() -> None:
    assert guess_encoding(UNICODE) is None
    assert guess_encoding("Café résumé naïve à côté") is None


def test_legacy_text_file_is_converted_to_nfc() -> None:
    raw = _iconv_tcvn3("BÁO CÁO\nTình hình thực hiện kế hoạch năm 2022\n".replace("BÁO CÁO", "Báo cáo"))
    doc = parse_document(Path("r.txt"), raw)
    assert [p.text for p in doc.body] == ["Báo cáo", "Tình hình thực hiện kế hoạch năm 2022"]


def _docx_with_font(text: str, font: str) -> bytes:
    import io

    import docx

    document = docx.Document()
    run = document.add_paragraph().add_run(text)
    run.font.name = font
    table = document.add_table(rows=1, cols=2)
    cell = table.cell(0, 0).paragraphs[0].add_run(text)
    cell.font.name = font
    table.cell(0, 1).text = "1.949,545"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_runs_in_legacy_fonts_are_converted() -> None:
    tcvn3 = _iconv_tcvn3("Tổng sản phẩm trên địa bàn").decode("latin-1")
    doc = parse_document(Path("old.docx"), _docx_with_font(tcvn3, ".VnTime"))
    assert doc.body[0].text == "Tổng sản phẩm trên địa bàn"
    assert doc.tables[0].rows == (("Tổng sản phẩm trên địa bàn", "1.949,545"),)
    vni = parse_document(Path("old.docx"), _docx_with_font("Toång saûn phaåm", "VNI-Times"))
    assert vni.body[0].text == "Tổng sản phẩm"
