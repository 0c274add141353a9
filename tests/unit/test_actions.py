"""The one description of each workflow action agrees with the machine and with the text layer."""

from __future__ import annotations

import dataclasses

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


def test_the_service_writes_for_exactly_the_registered_actions() -> None:
    assert set(EFFECTS) == set(ACTIONS)
