"""Pages drawn in the tests themselves: a ruled table with known figures, as an image or a PDF."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

FONT = "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf"
HEADER = ("TT", "Chỉ tiêu", "Năm 2022", "", "Ghi chú")
ROWS = (
    ("1", "Tốc độ tăng trưởng", "3,34", "8,00", ""),
    ("2", "Thu ngân sách", "1.949,545", "2.018", ""),
    ("-", "Thu nội địa", "436", "", ""),
    ("3", "Tỷ lệ hộ nghèo", "4,03", "99,3", ""),
)
# Column edges in inches from the left margin; the header's "Năm 2022" spans columns 2 and 3.
COLUMNS_IN = (1.0, 1.5, 3.7, 4.9, 6.1, 7.0)
TOP_IN, ROW_IN = 1.5, 0.4


def ruled_page(dpi: int, smudge: bool = False) -> Image.Image:
    """An A4 page with a title line and a ruled table: one header row with a merged cell, four
    rows of figures. Rules are 0.5 pt, as Word draws them. ``smudge`` blots out half of the
    last row's first figure (``4,03``), as a stain on the paper would."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(11 * dpi / 72))
    px = [round(x * dpi) for x in COLUMNS_IN]
    rows = 1 + len(ROWS)
    ys = [round((TOP_IN + r * ROW_IN) * dpi) for r in range(rows + 1)]
    rule = max(1, round(0.5 * dpi / 72))
    draw.text((px[0], round(0.9 * dpi)), "PHỤ LỤC", font=font, fill=0)
    for y in ys:
        draw.line([(px[0], y), (px[-1], y)], fill=0, width=rule)
    for i, x in enumerate(px):
        top = ys[1] if i == 3 else ys[0]  # no rule between columns 2 and 3 in the header
        draw.line([(x, top), (x, ys[-1])], fill=0, width=rule)
    for r, cells in enumerate((HEADER, *ROWS)):
        for c, text in enumerate(cells):
            if text:
                draw.text((px[c] + dpi // 20, ys[r] + dpi // 12), text, font=font, fill=0)
    if smudge:
        x, y = px[2] + dpi // 20, ys[4] + dpi // 12
        draw.ellipse([x + dpi // 12, y - dpi // 40, x + dpi // 5, y + dpi // 7], fill=40)
    return page


def write_pdf(image: Image.Image, dpi: int, path: Path) -> Path:
    image.save(path, "PDF", resolution=float(dpi))
    return path


def footnoted_page(dpi: int) -> Image.Image:
    """An A4 page of prose with Word's short rule above two footnotes, the second with a list."""
    width, height = round(8.27 * dpi), round(11.69 * dpi)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    font = ImageFont.truetype(FONT, round(12 * dpi / 72))
    small = ImageFont.truetype(FONT, round(10 * dpi / 72))
    left = dpi
    for i, line in enumerate(BODY_LINES):
        draw.text((left, round((1.2 + 0.3 * i) * dpi)), line, font=font, fill=0)
    rule_y = round(9.4 * dpi)
    draw.line([(left, rule_y), (left + 2 * dpi, rule_y)], fill=0, width=max(1, round(0.5 * dpi / 72)))
    for i, line in enumerate(NOTE_LINES):
        draw.text((left, rule_y + round((0.12 + 0.22 * i) * dpi)), line, font=small, fill=0)
    return page


BODY_LINES = (
    "Tổng sản phẩm trên địa bàn ước tăng 3,34% so với năm 2021.",
    "Sản xuất nông nghiệp cơ bản ổn định; diện tích lúa đạt kế hoạch.",
)
NOTE_LINES = (
    "3 Theo Công văn số 602/CTK-TKTH của Cục Thống kê tỉnh.",
    "4 Kết quả thực hiện các loại cây trồng chính như sau:",
    "+ Cây lúa: Gieo trồng được 30.168,2 ha, đạt 101,8% KH.",
    "+ Cây ngô: Trồng được 41.440,0 ha, đạt 105,3% KH.",
)
