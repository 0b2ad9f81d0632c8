"""Over the running Rasa stack: after an approver publishes, the assistant's very next reply shows the change.

Needs the lead's `rasa_stack` fixture (tests/conftest.py): .rest_url is the REST webhook and .catalogue_url
the DATABASE_URL the stack reads. The published change is put back afterwards.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from services_catalogue.admin import workflow
from services_catalogue.admin.accounts import create_account
from services_catalogue.db import get_engine, session_scope

pytestmark = pytest.mark.stack

KEY = "mens-advice-line"


def publish_description(engine, description: str) -> None:
    """An editor proposes and a second person approves, exactly as through the admin."""
    suffix = uuid.uuid4().hex[:8]
    with session_scope(engine) as session:
        editor = create_account(
            session, f"stack-editor-{suffix}@example.org", "Stack editor", "editor", "stack test password", "tests"
        )
        approver = create_account(
            session,
            f"stack-approver-{suffix}@example.org",
            "Stack approver",
            "approver",
            "stack test password",
            "tests",
        )
        record, base = workflow.working_record(session, KEY)
        change = workflow.propose(session, editor, {**record, "description": description}, base)
        workflow.publish(session, approver, change.id)


def replies(rest_url: str, message: str) -> str:
    response = requests.post(
        rest_url, json={"sender": f"admin-test-{uuid.uuid4().hex}", "message": message}, timeout=60
    )
    response.raise_for_status()
    return "\n".join(item.get("text", "") for item in response.json())


def test_the_next_reply_shows_a_just_published_change(rasa_stack):
    engine = get_engine(rasa_stack.catalogue_url)
    with session_scope(engine) as session:
        original = workflow.find_service(session, KEY).description
    marker = f"Checked by the admin test {uuid.uuid4().hex[:6]}."
    try:
        publish_description(engine, f"{original} {marker}")
        assert marker in replies(rasa_stack.rest_url, "I'm a man and my wife hits me")
    finally:
        publish_description(engine, original)
