"""The admin in Debian's chromium through Playwright: sign in, edit and approve, a stale edit, a CSV preview."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from services_catalogue.query import find_services

from .conftest import PASSWORD, STAFF

pytestmark = pytest.mark.browser
playwright_api = pytest.importorskip("playwright.sync_api")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
KEY = "mens-advice-line"


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def live_admin(app):
    """The app on a free local port (not 8081, which `make run` uses)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/admin"
    server.shutdown()
    thread.join()


@pytest.fixture
def open_page(browser):
    """open_page(who, url): a fresh browser session signed in through the sign-in page. Any message about the
    Content-Security-Policy blocking something fails the test."""
    contexts, refusals = [], []

    def make(who: str, url: str):
        context = browser.new_context()
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: refusals.append(message.text) if "Content Security Policy" in message.text else None,
        )
        page.goto(url)
        page.fill("#email", STAFF[who])
        page.fill("#password", PASSWORD)
        page.click("button:has-text('Sign in')")
        page.wait_for_load_state()
        return page

    yield make
    for context in contexts:
        context.close()
    assert refusals == []


def men_line():
    return next(view for view in find_services(["male_victim"]) if view.key == KEY)


def test_edit_then_approve_and_the_assistant_sees_it(live_admin, open_page):
    editor = open_page("editor", f"{live_admin}/services/{KEY}/")
    assert editor.url.endswith(f"/services/{KEY}/")
    editor.fill("#description", "Men's Advice Line: confidential help for men, updated in the browser test.")
    editor.fill("#phones-0-number", "0808 801 0328")
    editor.click("button:has-text('Save as a draft for approval')")
    editor.wait_for_url("**/changes/*")
    assert "saved as a draft" in editor.inner_text(".alert-success")
    assert men_line().phones[0].number == "0808 801 0327"

    approver = open_page("approver", f"{live_admin}/changes/")
    approver.click("table a:has-text('Draft')")
    changed = approver.locator("table.diff tr.changed th").all_inner_texts()
    assert "Description" in changed and "Phone 1 number" in changed
    approver.click("button:has-text('Publish')")
    approver.wait_for_url("**/changes/")
    assert "Published" in approver.inner_text(".alert-success")

    view = men_line()
    assert view.description == "Men's Advice Line: confidential help for men, updated in the browser test."
    assert view.phones[0].number == "0808 801 0328"


def test_a_stale_edit_is_refused(live_admin, open_page):
    first = open_page("editor", f"{live_admin}/services/{KEY}/")
    second = open_page("editor2", f"{live_admin}/services/{KEY}/")
    first.fill("#description", "The first editor's words.")
    first.click("button:has-text('Save as a draft for approval')")
    first.wait_for_url("**/changes/*")
    second.fill("#description", "The second editor's words.")
    second.click("button:has-text('Save as a draft for approval')")
    second.wait_for_load_state()
    assert second.inner_text("#stale") == "Someone else changed this service since you opened it; reload and try again."
    assert second.input_value("#description") == "The second editor's words."


def test_the_csv_import_preview_shows_each_rows_problems(live_admin, open_page, tmp_path):
    csv_file = tmp_path / "services.csv"
    csv_file.write_text(
        "key,name,status,needs,areas,phone,phone_source,phone_verified_on\n"
        "browser-line,Browser line,published,male_victim,aylesbury,01296 123456,council letter,2026-01-05\n"
        "browser-bad,Browser bad,published,no_such_need,aylesbury,01296 123456,council letter,2030-01-01\n",
        encoding="utf-8",
    )
    page = open_page("approver", f"{live_admin}/transfer/")
    page.set_input_files("#file", str(csv_file))
    page.click("button:has-text('Check the file')")
    page.wait_for_load_state()
    assert page.locator("#confirm-import").count() == 0
    bad = page.locator("tr.has-problems")
    assert bad.count() == 1
    text = bad.inner_text()
    assert "row 3" in text and "'no_such_need' is not a need code we know" in text and "is in the future" in text
    assert page.locator("tr.passes").inner_text().startswith("row 2")
    assert "browser-line" not in [view.key for view in find_services(["male_victim"], "aylesbury")]
