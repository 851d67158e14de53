"""Sense checks for pictures whose word has another common meaning ("waterproof shell", "a new wave").

A picture listed here counts for one of its trigger words only when the scene's sentence also
holds a word of the sense the picture draws: a seashell needs the sea, a computer mouse a click.
Otherwise the word says nothing about that picture, and a motif is safer than a wrong object.
"""

from __future__ import annotations

import re

_SEA = r"sea|beach|ocean|shore|coast|sand|seaside|island|tide|snail|oyster|clam|mollus|seafood|reef"
_ANIMAL = r"animal|pet|zoo|wild|farm|nature|cage|feed|cute"

SENSES: dict[str, tuple[frozenset[str], re.Pattern[str]]] = {
    ident: (frozenset(words.split()), re.compile(rf"\b(?:{cue})", re.IGNORECASE))
    for ident, words, cue in (
        ("spiral-shell", "shell shells seashell", _SEA),
        ("mouse", "mouse mice", rf"{_ANIMAL}|cat|cheese|rodent|hamster|trap|tail|squeak|nest"),
        ("mouse-face", "mouse mice", rf"{_ANIMAL}|cat|cheese|rodent|hamster|trap|tail|squeak|nest"),
        ("computer-mouse", "mouse mice", r"click|computer|pc|laptop|desk|keyboard|gam|cursor|scroll|"
                                         r"wireless|usb|dpi|office|button|ergonom|mac"),
        ("bat", "bat bats", rf"{_ANIMAL}|cave|vampire|wing|halloween|nocturnal|spooky"),
        ("hot-springs", "spring springs", r"hot|bath|onsen|spa|thermal|soak|steam"),
        ("flat-shoe", "flat flats", r"shoe|heel|wear|feet|foot|ballet|sandal|sneaker|boot|comfort|walk|fashion"),
        ("seal", "seal seals", rf"{_SEA}|{_ANIMAL}|arctic|swim|polar"),
        ("person-heart", "fan fans", r"love|follow|support|loyal|favou?rite|communit|social|customer|club|"
                                     r"celebrit|star|idol|team"),
        ("folding-hand-fan", "fan fans", r"cool|hot|summer|breeze|air|heat|hand|fold|wind"),
        ("ring", "ring rings", r"wedding|engage|diamond|jewel|marr|propos|gold|silver|finger|bride"),
        ("necktie", "tie ties", r"suit|shirt|wear|formal|collar|dress|fashion|silk|knot|gentlem|office"),
        ("club-suit", "club clubs", r"card|poker|casino|deck|bridge|gambl"),
        ("microbe", "virus viruses", r"germ|flu|ill|sick|health|hygien|clean|disinfect|infect|immun|"
                                              r"bacteri|wash|lab|vaccin"),
        ("snake", "python pythons", rf"{_ANIMAL}|snake|reptile|jungle"),
        ("potted-plant", "plant plants", r"grow|garden|water|leaf|leaves|green|pot|soil|seed|flower|indoor|"
                                         r"care|herb|balcony|room|home|desk|sun|house|succulent"),
        ("palm-tree", "palm palms", r"beach|island|tropic|tree|coconut|holiday|vacation|sun|resort|sand|coast"),
        ("water-wave", "wave waves", rf"{_SEA}|surf|water|swim|boat|sail"),
        ("spider-web", "web webs", r"spider|halloween|insect|creep|spooky"),
        ("goal-net", "net nets", r"goal|soccer|football|hockey|score|sport|kick|match|keeper"),
        ("thread", "string strings", r"sew|knit|thread|yarn|craft|needle|stitch|tailor|fabric|cloth"),
        ("person-bouncing-ball", "player players", r"ball|basket|sport|team|court|match|coach|league|game"),
        ("beach-with-umbrella", "resort resorts", r"beach|sea|island|sun|tropic|summer|ocean|coast|sand|pool"),
        ("crab", "crab crabs", rf"{_SEA}|{_ANIMAL}|eat|dinner|restaurant|food|cook|fresh|steam"),
        ("round-pushpin", "round", r"pin|map|location|place|where|address"),
        ("pool-8-ball", "pool", r"ball|cue|billiard|snooker|table|bar|game|play"),
        ("bank", "bank banks", r"money|account|loan|sav|financ|deposit|cash|mortgage|credit|branch|"
                               r"interest|pay|invest|fund|fee|atm|wire|transfer"),
        ("book-database", "base bases", r"knowledge|data|wiki|document|help|faq|article|guide|answer|"
                                        r"support|learn|search"),
        ("rock", "rock rocks", r"stone|climb|mountain|cliff|geolog|mineral|garden|heavy|solid"),
    )
}
"""Picture id -> (its trigger words, a pattern one of the words of its drawn sense matches)."""


def off_sense(ident: str, word: str, sentence: str) -> bool:
    """True when `word` names picture `ident` only in another sense than this sentence's."""
    entry = SENSES.get(ident)
    return bool(entry and word in entry[0] and not entry[1].search(sentence))


def on_sense(ident: str, word: str, sentence: str) -> bool:
    """True when `word` names picture `ident` and the sentence confirms the sense it draws."""
    entry = SENSES.get(ident)
    return bool(entry and word in entry[0] and entry[1].search(sentence))
