"""The hero title card's tagline ends on a whole idea, never mid-phrase ("A solar backpack for people")."""

from __future__ import annotations

import re

import pytest

from reelterm.engine.planner.headlines import headline

SENTENCES = [
    "Sunpack is a solar backpack for people who hike.",
    "Brewlab is a smart coffee scale that times your pour.",
    "Meet Nimbus, a weather station for gardeners who plan ahead.",
    "Glowly is a bedside lamp for kids who are afraid of the dark.",
    "Petpal is an automatic feeder for cats whose owners travel a lot.",
    "Trailmix is a meal kit service for families with busy weeknights and picky eaters.",
    "Ledgerly is the accounting app for freelancers in more than forty countries worldwide.",
    "Rover is a GPS collar for dogs that like to wander off.",
    "Zest is a cold-pressed juice bar in the heart of downtown Lisbon.",
    "Quill is a writing app for students who need to finish their thesis on time.",
    "Aurora is a sunrise alarm clock that wakes you gently with light.",
    "Kite is a lightweight travel stroller for parents on the go.",
    "Homely is a cleaning service for small offices and busy homes.",
    "Boltbike is an electric bike for commuters in hilly cities.",
    "Fernly, the plant subscription for people with no time and no green thumb.",
    "Tidy is a storage system for people living in small apartments in big cities.",
    "Mapmate is a travel planner for groups of friends going abroad together.",
    "Nova is a telescope for beginners who want to see the rings of Saturn.",
    "Lumen is a desk lamp with a wireless charger built into the base.",
    "Stride is a running shoe designed for runners with flat feet.",
    "Hearth is a meal planner for anyone who hates deciding what to cook.",
    "Cove is a budgeting app for those who never check their balance.",
    "Pebble is a baby monitor for parents who want to sleep through the night.",
    "Loop is a language app for everyone learning on a tight schedule.",
    "Orbit is a task manager for teams that ship every week.",
    "Sprout is a vegetable box for families who want to eat more greens.",
    "Driftwood is a boutique hotel for travellers looking for quiet by the sea.",
    "Tally is an invoicing tool for freelancers who are tired of chasing payments.",
    "Beacon is a smart doorbell for homeowners who are often away.",
    "Canvas is an art class for adults who think they cannot draw.",
]
_PREPS = {"for", "with", "in", "on", "at", "to", "by", "from", "of", "and", "or", "that", "who", "which",
          "a", "an", "the", "your", "their", "our", "whose"}
_GENERIC = {"people", "those", "anyone", "everyone", "folks", "someone", "users", "owners", "you"}


@pytest.mark.parametrize("sentence", SENTENCES)
def test_a_tagline_ends_on_a_whole_idea(sentence: str) -> None:
    head = headline(sentence, [sentence])
    tag = head.tagline
    assert tag, sentence  # these all describe the product: the card has a tagline
    words = [w.strip(",.").lower() for w in tag.split()]
    assert words[-1] not in _PREPS, tag  # never "… for", "… the"
    assert not (len(words) >= 2 and words[-2] in _PREPS and words[-1] in _GENERIC), tag  # no "for people"
    assert not re.search(r"(?:ing)$", words[-1]) or words[-1] in ("clothing", "bedding", "lighting"), tag
    assert len(words) <= 7 and tag[0].isupper()
    assert tag.lower().rstrip(".") in sentence.lower()  # the sentence's own words, in order


def test_the_reported_cut_is_fixed_and_good_taglines_stay() -> None:
    got = {s.split()[0].rstrip(","): headline(s, [s]).tagline for s in SENTENCES}
    assert got["Sunpack"] == "A solar backpack"
    assert got["Tidy"] == "A storage system"
    assert got["Brewlab"] == "A smart coffee scale"
    assert got["Glowly"] == "A bedside lamp for kids"  # a real group of people stays
    assert got["Boltbike"] == "An electric bike for commuters"
    assert got["Fernly"] == "The plant subscription"
