"""Writes mixed/bao-cao-phuoc-son.docx, the Word fixture of tests/it/import.rs.

A Party committee's year-end report as offices write it in Word: header
lines, numbered sections, an indicator table (with a merged heading cell),
and a page footer that is not part of the body. Run it from this directory
with python-docx installed (`pip install python-docx`):

    python3 make_docx.py
"""

from docx import Document
from docx.shared import Pt

document = Document()
document.core_properties.author = "Văn phòng Đảng ủy"

for line in [
    "ĐẢNG BỘ HUYỆN PHƯỚC SƠN",
    "ĐẢNG ỦY XÃ PHƯỚC HÒA",
    "Số: 68-BC/ĐU",
    "Phước Hòa, ngày 20 tháng 12 năm 2023",
]:
    document.add_paragraph(line)

title = document.add_paragraph()
run = title.add_run("BÁO CÁO")
run.bold = True
run.font.size = Pt(14)
document.add_paragraph(
    "Tổng kết công tác xây dựng Đảng năm 2023, phương hướng, nhiệm vụ năm 2024"
)
document.add_paragraph("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU CHỦ YẾU NĂM 2023")
document.add_paragraph(
    "Năm 2023, Đảng ủy xã Phước Hòa lãnh đạo thực hiện đạt và vượt 12/14 chỉ tiêu "
    "Nghị quyết đề ra, cụ thể như sau:"
)

rows = [
    ("TT", "Chỉ tiêu", "ĐVT", "Kế hoạch 2023", "Thực hiện 2023", "So với KH (%)"),
    ("1", "Tổng sản lượng lương thực có hạt", "tấn", "4.500", "4.620", "102,67"),
    ("2", "Đàn bò", "con", "840", "856", "101,9"),
    ("3", "Tỷ lệ hộ nghèo", "%", "3,5", "3,2", "đạt"),
]
table = document.add_table(rows=len(rows) + 1, cols=6)
table.style = "Table Grid"
merged = table.cell(0, 0).merge(table.cell(0, 5))
merged.text = "Bảng 1. Các chỉ tiêu kinh tế - xã hội"
for r, values in enumerate(rows, start=1):
    for c, value in enumerate(values):
        table.cell(r, c).text = value

document.add_paragraph("II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024")
document.add_paragraph(
    "Phấn đấu tổng sản lượng lương thực đạt 4.700 tấn; tỷ lệ hộ nghèo giảm còn dưới 3%."
)
document.add_paragraph("Nơi nhận: Ban Thường vụ Huyện ủy; Lưu VP.")

section = document.sections[0]
section.footer.paragraphs[0].text = "Trang 1 - Văn phòng Đảng ủy xã Phước Hòa"

document.save("mixed/bao-cao-phuoc-son.docx")
