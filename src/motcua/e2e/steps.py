"""What people do on the pages, in the words of the pages: the steps the end-to-end scenarios share.

Selectors are accessible names (labels, roles and button texts in English): they are the contract between
these tests and the page authors, so a page that breaks them breaks its accessibility too.
"""

from __future__ import annotations

import os
import random
import re
import struct
import zlib
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import FilePayload, Locator, Page, expect

from motcua.catalog.selectors import intake_offer
from motcua.demo.loader import DEMO_PASSWORD
from motcua.demo.samples import fill_form
from motcua.dossiers.lifecycle import Channel
from motcua.dossiers.services import actions
from motcua.dossiers.services.files import store_upload
from motcua.dossiers.services.intake import Applicant, AttachedDocument, Intake, create_dossier

BIRTH_REGISTRATION = "1.001193.000.00.00.H26"
COMMUNE = "000.A1.01.H26"  # UBND Phường Ba Đình: receives, decides and returns birth registrations
DOSSIER_CODE = re.compile(r"\b\d{3}\.[0-9A-Z]{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}\b")
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def labelled(text: str) -> re.Pattern[str]:
    """The name of a field labelled exactly `text`, whether or not the label carries the required mark."""
    return re.compile(rf"^\s*{re.escape(text)}[\s*]*$")


def shoot(page: Page, name: str, full_page: bool = True) -> None:
    """Keep the page as docs/screenshots/<name>.png when MOTCUA_SCREENSHOTS=1 (the README shows them).

    The README shows the product as a newcomer meets it, in Vietnamese: the page's address is opened again in
    a second browser profile with the same session and viewport but Vietnamese chosen, so the test's own
    page, and whatever was typed in it, are left as they were."""
    if os.environ.get("MOTCUA_SCREENSHOTS") != "1":
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = page.context
    assert context.browser is not None
    state = context.storage_state()
    cookies = [c for c in state["cookies"] if c["name"] != "django_language"]
    sibling = context.browser.new_context(
        storage_state={"cookies": cookies, "origins": state["origins"]},
        viewport=page.viewport_size,
        locale="vi-VN",
    )
    try:
        sibling.add_cookies([{"name": "django_language", "value": "vi", "url": page.url}])
        view = sibling.new_page()
        view.goto(page.url)
        view.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
    finally:
        sibling.close()


def pdf_file(title: str) -> bytes:
    """A small, well-formed one-page PDF (header, objects, cross-reference table, trailer) saying `title`."""
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 18 Tf 40 100 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 200] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_file(width: int = 240, height: int = 320) -> bytes:
    """A valid greyscale PNG that looks like a photographed page: white, with lines of "text"."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    margin = b"\xff" * 20
    line, blank = margin + b"\x50" * (width - 40) + margin, b"\xff" * width

    def row(y: int) -> bytes:
        return b"\x00" + (line if 24 <= y < height - 24 and y % 14 < 3 else blank)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(row(y) for y in range(height)))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def upload(name: str, content: bytes) -> FilePayload:
    kind = "application/pdf" if content.startswith(b"%PDF") else "image/png"
    return FilePayload(name=name, mimeType=kind, buffer=content)


# --- accounts -----------------------------------------------------------------------------------------------


def sign_up(page: Page, *, full_name: str, id_number: str, email: str, phone: str, password: str) -> None:
    page.goto("/account/signup/")
    page.get_by_label("Full name").fill(full_name)
    page.get_by_label("Personal identification number").fill(id_number)
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Phone number (optional)").fill(phone)
    page.get_by_label(labelled("Password")).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Create the account").click()


def verification_link(messages: list, address: str) -> str:
    """The link of the last verification message sent to `address` (the live server's locmem outbox)."""
    sent = [m for m in messages if address in m.to]
    assert sent, f"no e-mail was sent to {address}"
    found = re.search(r"https?://\S+/account/verify/[^/\s]+/[^/\s]+/", sent[-1].body)
    assert found, sent[-1].body
    return found.group(0)


def citizen_sign_in(page: Page, login: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/account/login/")
    page.get_by_label("E-mail, phone number or username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("main").get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/my/dossiers/$"))


def staff_sign_in(page: Page, username: str) -> None:
    page.goto("/office/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name=re.compile(rf"Sign out.*{re.escape(username)}"))).to_be_visible()


# --- the portal ---------------------------------------------------------------------------------------------


# The demo catalogue's declaration for birth registration (catalogue.json, case TH1): its labels are the
# schema's titles, in Vietnamese whatever the language of the page.
BIRTH_DECLARATION = {
    "Họ, chữ đệm, tên người yêu cầu": "Trần Thị Lan",
    "Nơi cư trú": "12 Phố Đội Cấn, Phường Ba Đình, Hà Nội",
    "Họ, chữ đệm, tên người được khai sinh": "Nguyễn Minh Khang",
    "Ngày, tháng, năm sinh": "2026-11-10",
    "Nơi sinh": "Bệnh viện Phụ sản Hà Nội",
    "Họ, chữ đệm, tên người mẹ": "Trần Thị Lan",
    "Họ, chữ đệm, tên người cha": "Nguyễn Văn Hùng",
}
BIRTH_DOCUMENTS = {
    "Tờ khai đăng ký khai sinh (theo mẫu)": upload("to-khai.pdf", pdf_file("To khai dang ky khai sinh")),
    "Giấy chứng sinh hoặc văn bản của người làm chứng xác nhận việc sinh": upload(
        "giay-chung-sinh.png", png_file()
    ),
}


def start_application(page: Page, procedure: str = BIRTH_REGISTRATION) -> None:
    """From the procedure page, the prominent "Apply online" leads to the application form."""
    page.goto(f"/procedures/{procedure}/")
    page.get_by_role("link", name="Apply online").first.click()
    expect(page.get_by_role("heading", name="The applicant")).to_be_visible()


def fill_birth_registration(page: Page, id_number: str) -> None:
    """Answer the birth registration form as the child's mother, born in 1995 (as `id_number` must say),
    choosing Ba Đình to receive it."""
    page.get_by_label(labelled("Date of birth")).fill("1995-03-08")
    page.get_by_label(labelled("Phone")).fill("0912345678")
    page.get_by_label(labelled("Address")).fill(BIRTH_DECLARATION["Nơi cư trú"])
    for label, value in BIRTH_DECLARATION.items():
        page.get_by_label(labelled(label)).fill(value)
    page.get_by_label(labelled("Số định danh cá nhân của người yêu cầu")).fill(id_number)
    page.get_by_label(labelled("Quan hệ với người được khai sinh")).select_option("Mẹ")
    page.get_by_role("radio", name="Nam", exact=True).check()
    page.get_by_label("Where your dossier is received").select_option(label="Ủy ban nhân dân Phường Ba Đình")
    page.get_by_role("radio", name="At the counter").check()


def attach_birth_documents(page: Page) -> None:
    """Choose a file for each required document; the page uploads each at once and says so."""
    for label, file in BIRTH_DOCUMENTS.items():
        page.get_by_label(labelled(label)).set_input_files(file)
        slot = page.locator(".upload-slot", has=page.get_by_label(labelled(label)))
        expect(slot.get_by_role("status")).to_contain_text("Uploaded")


def submit_application(page: Page) -> str:
    """Review, submit, and read the dossier code from the confirmation."""
    page.get_by_role("button", name="Continue to review").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("button", name=re.compile("^Submit")).click()
    code = DOSSIER_CODE.search(page.get_by_role("main").inner_text())
    assert code, page.get_by_role("main").inner_text()
    return code.group(0)


# --- the back office ----------------------------------------------------------------------------------------


def open_dossier(page: Page, code: str) -> None:
    page.goto(f"/office/dossiers/{code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(code)


def action_form(page: Page, label: str) -> Locator:
    """Open the disclosure of the action named `label` among the dossier page's actions; return it."""
    action = page.locator("#actions details").filter(
        has=page.locator("summary", has_text=re.compile(rf"^\s*{re.escape(label)}\s*$"))
    )
    action.locator("summary").click()
    return action


def take_action(page: Page, label: str, **fields: str) -> None:
    """Take an action from the dossier page, filling its fields by their labels; wait for its confirmation."""
    action = action_form(page, label)
    for field_label, value in fields.items():
        action.get_by_label(field_label).fill(value)
    with page.expect_navigation():
        action.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages .alert-success")).to_be_visible()


# --- given: earlier states made through the services --------------------------------------------------------


def online_dossier_in_process(applicant: str = "congdan") -> str:
    """Given: the demo citizen applied online for birth registration at Ba Đình, and its counter officer
    received the dossier and forwarded it to the first processing step. Made through the services, as
    the scenarios that start later in the dossier's life need not click through its beginning."""
    citizen = User.objects.select_related("citizen").get(username=applicant)
    offer = intake_offer(BIRTH_REGISTRATION, timezone.localdate())
    assert offer is not None
    case = next(iter(offer.cases.values()))
    scan = store_upload(citizen, SimpleUploadedFile("giay-chung-sinh.pdf", pdf_file("Giay chung sinh")))
    intake = Intake(
        procedure=BIRTH_REGISTRATION,
        channel=Channel.ONLINE,
        receiving_unit=COMMUNE,
        applicant=Applicant("person", citizen.get_full_name(), id_number=citizen.citizen.id_number),
        form=fill_form(case.form_schema, random.Random(1)),
        documents=[AttachedDocument(d.pk, scan.pk) for d in case.documents.all() if d.mandatory],
    )
    dossier = create_dossier(citizen, intake)
    counter = User.objects.get(username="tiepnhan.bd")
    dossier = actions.accept(dossier, counter, version=dossier.version)
    dossier = actions.forward(dossier, counter, version=dossier.version)
    return dossier.code
