"""Split one message into the operations it asks for: "cut it to 20 seconds and drop the music".

Clauses are split on "and", "then", "also", "plus", "&", commas, ";" and "然后/并且/而且/同时/，/、/；",
never inside quoted text or the text after a colon, never inside "between 2 and 5 s", "scenes 1 and
2", "fade in and out", "audio and video", "black and white"… A piece is kept apart only when it is a
request of its own; a fragment ("white", "3") joins its neighbour. A piece with no verb borrows the
verb of the piece before it ("remove the music and the narration").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelterm.engine.agent.studio.intents import QUOTES, after_colon
from reelterm.engine.agent.studio.rules import RULES, Rule, rule_for
from reelterm.engine.agent.studio.source import split_source

MAX_CLAUSES = 12
"""More pieces than this are not split (a list of words, not a list of requests)."""
WHOLE = frozenset(("keys", "generate", "merge", "undo", "redo", "empty", "help"))
"""Rules that take the whole message: it is one request (its text may hold any word)."""
UNKNOWN = frozenset(("unknown", "vague"))
MERGED = frozenset(("time", "volume"))
"""Rules whose neighbouring clauses are one request when one of them names no number."""

_SEP = re.compile(r"(?:\s*(?:,|;|，|；|、|\n|(?<![a-z])(?:and then|and also|then|also|plus|and)(?![a-z])|&|\+"
                  r"|然后|并且|而且|同时|另外|还要|(?<=[\u3400-\u9fff]{2})再(?=把|加|去掉|删|改|换|调|剪|导出|移|交换|保留|缩短))\s*)+",
                  re.IGNORECASE)
_PROTECT = re.compile(
    r"between\s+\S+\s+and\s+\S+|\d\s*(?:s|secs?|seconds?)?\s*(?:and|&)\s*\d|"
    r"\b(?:first|second|third|fourth|fifth|last|final|\d+(?:st|nd|rd|th)?)\s+(?:and|&)\s+(?:the\s+)?"
    r"(?:first|second|third|fourth|fifth|last|final|\d+(?:st|nd|rd|th)?)\b|"
    r"fade[sd]?[- ]?in\s+(?:and|&)\s+(?:a\s+)?(?:fade[- ]?)?out|\bin\s+(?:and|&)\s+out\b|"
    r"\b(?:audio|video|sound|music|picture)\s+(?:and|&)\s+(?:the\s+)?(?:audio|video|sound|music|picture)\b|"
    r"black\s+(?:and|&)\s+white|rock\s*(?:and|&|n|'n')\s*roll|r\s*&\s*b|drum\s+(?:and|&)\s+bass|"
    r"\d,\d{3}|,\s*(?:but\s+)?not\b", re.IGNORECASE)
_EN_VERBS = (r"add|use|make|set|change|remove|delete|drop|cut|chop|trim|put|turn|switch|swap|move|export|convert|"
             r"mute|unmute|fade|keep|replace|lower|raise|bring|give|save|render|download|extract|split|extend|"
             r"shorten|lengthen|reverse|kill|lose|get rid of|take out|skip|insert|rename|resize|crop|speed up|"
             r"slow down")
_ZH_VERBS = r"加上?|去掉|删除|删掉|改成|换成|调到|剪掉|导出|移到|交换|保留|缩短|不要"
_VERB = re.compile(rf"^(?:please\s+|pls\s+|plz\s+|can you\s+|could you\s+|now\s+|just\s+)?"
                   rf"(?P<verb>(?:{_EN_VERBS})(?:\s+it)?)\b|^(?P<zh>{_ZH_VERBS})", re.IGNORECASE)
_ANY_VERB = re.compile(rf"\b(?:{_EN_VERBS})\b|{_ZH_VERBS}", re.IGNORECASE)
_ANAPHORA = re.compile(rf"^(?:please\s+|just\s+)?(?:{_EN_VERBS})\s+(?:it|that|them|this one|that one)(?:\s+(?:out|off|please|pls))?"
                       r"\s*[.!]*$|^(?:去掉|删掉|删除|剪掉)(?:它|吧|掉)?$", re.IGNORECASE)
"""A clause whose object is the one before it ("scene 2 is boring, cut it")."""
_MODIFIER = re.compile(r".*\d.*|out|in|on|off|both|all|them|it|too|also|please|pls|plz|thanks|thank you|thx|ty|"
                       r"again|now|asap|quickly|white|roll|black|audio|video|sound|music|the (?:audio|video|music|sound)|"
                       r"[\W_]+|.*[\u3400-\u9fff].*", re.IGNORECASE)
"""Fragments that belong to the clause before them (numbers, particles, the other half of a pair)."""
_REMOVE_VERBS = re.compile(r"^(?:remove|delete|drop|mute|kill|lose|get rid of|take out|skip|change|set|rename|replace|"
                           r"去掉|删除|删掉|不要|改成|换成)(?:\s+it)?$", re.IGNORECASE)
"""Verbs a following verb-less piece shares ("remove the music and the narration", "change X to A and Y to B")."""
_ONE = re.compile(r"\b((?:the\s+)?(?:first|second|third|fourth|last|final|\d+(?:st|nd|rd|th)?))\s+one\b", re.IGNORECASE)


@dataclass(frozen=True)
class Clause:
    """One operation asked for: its words, the rule that takes them (None: not understood)."""

    text: str
    rule: Rule | None
    ignored: tuple[str, ...] = ()
    """Fragments joined to this clause that nothing reads ("sparkly" in "make it vertical and sparkly")."""

    @property
    def understood(self) -> bool:
        """True when a rule with a handler (or an answer) takes the clause."""
        return self.rule is not None and self.rule.name not in UNKNOWN


def _mask(message: str) -> str:
    """The message with quoted text, text after a colon and protected phrases blanked (same length)."""
    chars = list(message)
    spans = [m.span() for m in QUOTES.finditer(message)] + [m.span() for m in _PROTECT.finditer(message)]
    colon = after_colon(message)
    if colon:
        spans.append((len(message) - len(colon), len(message)))
    for a, b in spans:
        chars[a:b] = "\x01" * (b - a)
    return "".join(chars)


def _pieces(message: str) -> list[str]:
    mask = _mask(message)
    out, last = [], 0
    for m in _SEP.finditer(mask):
        if m.start() > last:
            out.append(message[last:m.start()])
        last = m.end()
    out.append(message[last:])
    return [p.strip() for p in out if p.strip(" .!?。！？")]


def _verb(piece: str) -> str | None:
    m = _VERB.match(piece)
    if not m:
        return None
    return m.group("verb") or m.group("zh")


def _clause_like(piece: str) -> bool:
    """A request of its own (not a fragment): a verb and 3+ words, or 4+ words, or 4+ CJK characters."""
    words = piece.split()
    cjk = len(re.findall(r"[\u3400-\u9fff]", piece))
    return (bool(_ANY_VERB.search(piece)) and len(words) >= 3) or len(words) >= 4 or cjk >= 4


def _merge_complaints(clauses: list[Clause], has_draft: bool) -> list[Clause]:
    """A complaint next to the value that fixes it is one request: "too loud, put it at 15%"."""
    out: list[Clause] = []
    for clause in clauses:
        prev = out[-1] if out else None
        if (prev is not None and prev.rule is not None and clause.rule is not None
                and prev.rule.name == clause.rule.name and prev.rule.name in MERGED
                and (not re.search(r"\d", prev.text) or not re.search(r"\d", clause.text))):
            joined = f"{prev.text} and {clause.text}"
            out[-1] = Clause(joined, rule_for(joined, has_draft=has_draft))
        elif (prev is not None and prev.rule is not None and prev.rule.name in MERGED and not clause.understood
              and not _ANY_VERB.search(clause.text)
              and not (re.search(r"\d", clause.text) and re.search(r"\d", prev.text))
              and rule_for(f"{prev.text} and {clause.text}", has_draft=has_draft) is prev.rule):
            # a remark on a complaint: "it's too long, nobody watches past 15 seconds" (the value it wants),
            # "the text goes by too quickly, I can't read it"
            out[-1] = Clause(f"{prev.text} and {clause.text}", prev.rule)
        else:
            out.append(clause)
    return out


def split(message: str, *, has_draft: bool) -> list[Clause]:
    """The clauses of a message, in order; a message of one request is one clause."""
    whole = Clause(message, rule_for(message, has_draft=has_draft))
    if whole.rule is not None and whole.rule.name == "keys":  # the app's exact requests: the text is verbatim
        return [whole]
    source = split_source(message)
    if source is not None and source.asks(has_draft):
        return [Clause(message, next(r for r in RULES if r.name == "generate"))]
    if whole.rule is not None and whole.rule.name in WHOLE:
        return [whole]
    pieces = _pieces(message)
    if len(pieces) < 2 or len(pieces) > MAX_CLAUSES:
        return [whole]
    carried: list[str] = []
    verb = None
    for piece in pieces:
        if carried and _ONE.search(piece) and re.search(r"\bscenes?\b", carried[-1], re.IGNORECASE):
            piece = _ONE.sub(r"\1 scene", piece)  # "…, then delete the first one"
        own = _verb(piece)
        if (own is None and not _ANY_VERB.search(piece) and verb and _REMOVE_VERBS.match(verb)
                and re.search(r"[A-Za-z]{3,}|[\u3400-\u9fff]", piece)):
            piece = f"{verb} {piece}"
        else:
            verb = own or verb
        carried.append(piece)
    clauses: list[Clause] = []
    pending = ""
    for piece in carried:
        if pending:
            piece, pending = f"{pending} and {piece}", ""
        clause = Clause(piece, rule_for(piece, has_draft=has_draft))
        if _ANAPHORA.match(piece) and clauses:
            joined = f"{clauses[-1].text} and {piece}"
            clauses[-1] = Clause(joined, rule_for(joined, has_draft=has_draft))
        elif clause.understood or _clause_like(piece):
            clauses.append(clause)
        elif clauses:  # a fragment ("white"): it belongs to the piece before it
            joined = f"{clauses[-1].text} and {piece}"
            rule = rule_for(joined, has_draft=has_draft)
            idle = _MODIFIER.fullmatch(piece.strip(" .!?。！？")) is None and rule is clauses[-1].rule
            clauses[-1] = Clause(joined, rule, clauses[-1].ignored + ((piece,) if idle else ()))
        else:
            pending = piece
    if pending:
        clauses.append(Clause(pending, rule_for(pending, has_draft=has_draft)))
    clauses = _merge_complaints(clauses, has_draft)
    if len(clauses) == 1:
        return [Clause(message, whole.rule, clauses[0].ignored)]
    if not any(c.understood for c in clauses):
        return [whole]
    return clauses
