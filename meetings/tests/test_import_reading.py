""".docx and text files become lines at a bounded cost: Word's automatic numbers are recovered, tables
read row by row, and hostile files (not Word, a zip bomb, 10,000 paragraphs) refused with a Russian
message in bounded time."""

import io
import time
import zipfile

import docx
import pytest
from django.utils import translation

from meetings.importing import reading
from meetings.importing.parse import parse_protocol


@pytest.fixture(autouse=True)
def russian():
    with translation.override("ru"):
        yield


def docx_bytes(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_automatic_numbers_are_recovered():
    document = docx.Document()
    document.add_paragraph("ПОВЕСТКА ДНЯ:")
    document.add_paragraph("О конкурсе.", style="List Number")
    document.add_paragraph("О плане.", style="List Number")
    lines = reading.read_docx(docx_bytes(document)).splitlines()
    assert lines == ["ПОВЕСТКА ДНЯ:", "1. О конкурсе.", "2. О плане."]


def test_bullets_bold_headings_and_tables_become_lines():
    document = docx.Document()
    document.add_paragraph().add_run("РЕШИЛИ:").bold = True
    document.add_paragraph("ФГБОУ ВО «СмолГУ»;", style="List Bullet")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [("1", "Тапцов М.А.", "генеральный директор"), ("2", "Казаков А.В.", "директор")]):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    lines = reading.read_docx(docx_bytes(document)).splitlines()
    assert lines == ["РЕШИЛИ:", "- ФГБОУ ВО «СмолГУ»;", "1. Тапцов М.А., генеральный директор", "2. Казаков А.В., директор"]


def test_a_protocol_typed_with_word_numbering_parses_its_decisions():
    document = docx.Document()
    for line in ["ПРОТОКОЛ № 4", "заседания Координационного совета", "Дата проведения: 01.02.2024",
                 "ПОВЕСТКА ДНЯ:", "1. О плане.", "СЛУШАЛИ: Рудометкин А.Н. — о плане.", "РЕШИЛИ:"]:
        document.add_paragraph(line)
    document.add_paragraph("Принять к сведению информацию.", style="List Number 2")
    document.add_paragraph("ОГБПОУ СмолАПО подготовить план в срок до 01.03.2024.", style="List Number 2")
    parsed = parse_protocol(reading.read_docx(docx_bytes(document)))
    decisions = parsed.items[0].decisions
    # Word's list numbers «1.», «2.» are recovered, and the draft numbers the decisions as the text does
    assert [(d.number_as_written, d.number, d.text) for d in decisions] == [
        ("1", "1", "Принять к сведению информацию."), ("2", "2", "ОГБПОУ СмолАПО подготовить план.")]
    assert parsed.decision_numbering == "per_item"
    assert decisions[1].deadline.date == "2024-03-01"


def test_text_files_in_utf8_and_windows_1251():
    assert reading.read_upload("p.txt", "ПРОТОКОЛ № 1".encode("cp1251")) == "ПРОТОКОЛ № 1"
    assert reading.read_upload("p.md", "\ufeff**ПРОТОКОЛ**".encode()) == "**ПРОТОКОЛ**"


@pytest.mark.parametrize("name, data, message", [
    ("protocol.docx", b"this is not a zip archive", "не документ Word"),
    ("protocol.docx", b"PK\x03\x04" + b"\x00" * 100, "не документ Word"),
    ("protocol.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 100, "сохраните протокол как .docx"),
    ("protocol.pdf", b"%PDF-1.7", "сохраните протокол как .docx"),
    ("protocol.exe", b"MZ", "Загрузите файл .docx, .txt или .md"),
    ("protocol.txt", b"\x00\x01\x02binary", "не текст"),
])
def test_files_that_are_not_protocols_are_refused(name, data, message):
    with pytest.raises(reading.ReadError, match=message):
        reading.read_upload(name, data)


def test_a_zip_without_a_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(reading.ReadError, match="не документ Word"):
        reading.read_upload("protocol.docx", buffer.getvalue())


def test_a_zip_bomb_is_refused_before_unpacking():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"<" + b" " * (40 * 1024 * 1024))
    data = buffer.getvalue()
    assert len(data) < reading.MAX_FILE_BYTES  # small to upload, 40 MB unpacked
    started = time.process_time()
    with pytest.raises(reading.ReadError, match="зип-бомба"):
        reading.read_upload("protocol.docx", data)
    assert time.process_time() - started < 1


def test_ten_thousand_paragraphs_are_refused_in_bounded_time():
    document = docx.Document()
    for n in range(10_000):
        document.add_paragraph(f"{n}. Решение")
    data = docx_bytes(document)
    started = time.process_time()
    with pytest.raises(reading.ReadError, match="больше 5000 абзацев"):
        reading.read_upload("protocol.docx", data)
    with pytest.raises(reading.ReadError, match="больше 5000 абзацев"):
        reading.read_upload("protocol.txt", "\n".join(["Решение"] * 10_000).encode())
    assert time.process_time() - started < 2  # about 0.15 s of CPU on the CI machine


def test_an_oversized_file_is_refused():
    with pytest.raises(reading.ReadError, match="больше 5 МБ"):
        reading.read_upload("protocol.txt", b"a" * (reading.MAX_FILE_BYTES + 1))


def test_a_long_hostile_text_parses_in_linear_time():
    line = "1.1. " + "Поручить ООО «Ромашка» (" * 200 + " в срок до 30.11.2023"
    text = "ПРОТОКОЛ № 1\nРЕШИЛИ:\n" + "\n".join([line] * 70)  # 350,000 characters: just within the limit
    started = time.process_time()
    parse_protocol(reading.check_text(text))
    assert time.process_time() - started < 10


def test_a_list_restarted_in_word_counts_from_its_start_again():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    first = document.add_paragraph("Принять к сведению.", style="List Number")
    document.add_paragraph("Утвердить план.", style="List Number")
    numbering = document.part.numbering_part.element
    style_num = first.style.element.pPr.numPr.numId.val
    abstract = numbering.num_having_numId(style_num).abstractNumId.val
    numbering.append(parse_xml(
        f'<w:num {nsdecls("w")} w:numId="99"><w:abstractNumId w:val="{abstract}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))
    restarted = document.add_paragraph("Одобрить программу.", style="List Number")
    restarted._p.get_or_add_pPr().get_or_add_numPr().get_or_add_numId().val = 99
    restarted._p.get_or_add_pPr().get_or_add_numPr().get_or_add_ilvl().val = 0
    lines = reading.read_docx(docx_bytes(document)).splitlines()
    assert lines == ["1. Принять к сведению.", "2. Утвердить план.", "1. Одобрить программу."]


def test_paragraphs_inside_content_controls_are_read():
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("ПРОТОКОЛ № 1")
    document.element.body.insert(1, parse_xml(
        f'<w:sdt {nsdecls("w")}><w:sdtContent><w:p><w:r><w:t>заседания Координационного совета</w:t></w:r></w:p>'
        f'</w:sdtContent></w:sdt>'))
    assert reading.read_docx(docx_bytes(document)).splitlines() == ["ПРОТОКОЛ № 1", "заседания Координационного совета"]


@pytest.mark.parametrize("heading, form", [
    ("г. Смоленск, 30 марта 2023 года", "full"),
    ("г. Смоленск, 20 ноября 2017 г.", "short"),
    ("г. Смоленск, 20 ноября 2017 г", "short"),
    ("от 30.03.2023 № 2", ""),
])
def test_the_heading_date_shows_the_protocols_date_form(heading, form):
    parsed = parse_protocol("\n".join(["ПРОТОКОЛ № 2", "заседания Координационного совета", heading,
                                       "ПОВЕСТКА ДНЯ:", "1. О плане.", "РЕШИЛИ:", "1. Принять к сведению."]))
    assert parsed.date and parsed.date_form == form
