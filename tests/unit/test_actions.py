"""The one description of each workflow action agrees with the machine and with the text layer."""

from __future__ import annotations

import dataclasses
import string

from certify.domain import messages
from certify.domain.actions import ACTIONS, SYSTEM, Audience
from certify.domain.messages import EVENT_AUDIENCES, audiences
from certify.domain.status import Role
from certify.domain.workflow import CaseWorkflow
from certify.services.cases import EFFECTS, ActionInput
from certify.text import extraction


def test_the_registry_names_exactly_the_machines_events() -> None:
    assert set(ACTIONS) == {event.id for event in CaseWorkflow.events}
    assert all(name == action.name for name, action in ACTIONS.items())


def test_every_action_has_roles_that_exist_and_fields_that_an_action_carries() -> None:
    roles = {role.value for role in Role} | {SYSTEM}
    carried = {f.name for f in dataclasses.fields(ActionInput)}
    for action in ACTIONS.values():
        assert action.roles and action.roles <= roles, action.name
        assert {field.value for field in action.needs} <= carried, action.name


def test_every_words_of_an_action_are_in_the_catalogue() -> None:
    messages = {message.id for message in extraction.extract() if message.id}
    for action in ACTIONS.values():
        for text in (action.label, action.verb, action.done, action.sentence):
            assert text and text in messages, (action.name, text)


def test_who_hears_about_what_is_said_once() -> None:
    assert not set(EVENT_AUDIENCES) & set(ACTIONS), "an action says its audience in its own spec"
    assert audiences("approve") == {Audience.owner}
    assert audiences("assign") == {Audience.owner, Audience.inspector}
    assert audiences("corrections_overdue") == {Audience.kommun}
    assert audiences("answer") == frozenset()


def test_whoever_an_action_or_event_notifies_has_a_mail_written_for_it() -> None:
    """An audience without a draft would be told nothing, silently; a draft nobody is sent is dead."""
    drafts = {
        Audience.owner: messages._OWNER_DRAFTS,
        Audience.inspector: messages._INSPECTOR_DRAFTS,
        Audience.kommun: messages._KOMMUN_DRAFTS,
    }
    for event in {*ACTIONS, *EVENT_AUDIENCES}:
        for audience, written in drafts.items():
            assert (audience in audiences(event)) == (event in written), (event, audience)


def test_a_timeline_sentence_names_only_what_the_timeline_fills_in() -> None:
    filled = {"visit_at", "certificate", "reason"}  # web/pages/timeline.sentence
    for action in ACTIONS.values():
        named = {name for _, name, _, _ in string.Formatter().parse(action.sentence) if name}
        assert named <= filled, (action.name, named - filled)


def test_the_service_writes_for_exactly_the_registered_actions() -> None:
    assert set(EFFECTS) == set(ACTIONS)
