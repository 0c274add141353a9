"""Every chain case state and every reason a shop is in the sample has its words (the pages show
each beside the case and the shop)."""

from __future__ import annotations

from certify.domain.chain_sample import SampleReason
from certify.domain.chain_workflow import ChainCaseState
from certify.text import catalogue
from certify.text.vocabulary import CHAIN_STATES, SAMPLE_REASONS, chain_state_label, sample_reason_label


def test_every_chain_state_and_sample_reason_has_words_in_every_language() -> None:
    assert set(CHAIN_STATES) == {s.value for s in ChainCaseState}
    assert set(SAMPLE_REASONS) == {r.value for r in SampleReason}
    with catalogue.use("en"):
        assert sample_reason_label("random") == "Drawn at random"
        assert chain_state_label("inspecting") == "Being inspected"
