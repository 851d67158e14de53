"""Chinese key phrases: a clause without its subject and modal, cut only where a phrase ends."""

from __future__ import annotations

import re

from reelterm.media.words import word_joins

KEY_CHARS = 12
"""The most characters a Chinese key phrase has (a little more when the clause is whole)."""
WHOLE_CHARS = 18
"""A clause this short is shown whole when it cannot be cut well."""

ZH_SUBJ = re.compile(r"^(?:我们的|你们的|您的|你的|他们的|它的|它们|它|我们|您|你们|你|他们|她们|这款|这个|这家|这里|本品|"
                     r"该产品|本店|大家)")
ZH_AUX = re.compile(r"^(?:还能|还会|还|也能|也|都|将|就|更|能够|能|可以|会|可|已经|正在|不仅|不但|而且)+")
ZH_ONE = re.compile(r"^(?:一款|一个|一家|一台|一种|一位|一支|一杯|一部|一套|一只|一间)")
_LEADS = re.compile(r"^(?:在|当|如果|为了|对于|无论|不管|只要)")
_MODAL = re.compile(r"(?:就能够|就能|能够|可以|能|会|将|可)")
_PREP_START = re.compile(r"^(?:和|跟|与|在|从|对|把|被|给|向|于|为)")
_BAD_END = re.compile(r"(?:的|在|和|与|并|从|对|把|被|让|给|用|是|都|也|就|能|会|可以|能够|每|一|它们|它|他们|她们|我们|你们|您|你|他|她)$")


def key_zh(sentence: str, name: str) -> str:
    """The big words of a Chinese sentence ("小暖保温杯能让热水保温十二个小时" -> "让热水保温十二个小时")."""
    clauses = [c for c in re.split(r"[，,、；;：:。！？!?…]+", sentence) if c.strip()]
    clause = clauses[0].strip() if clauses else sentence.strip()
    if len(clauses) > 1 and _LEADS.match(clause):
        clause = clauses[1].strip()
    whole = clause
    at = clause.find(name) if name else -1
    after = re.sub(r"^[」》”\"]?\s*", "", clause[at + len(name):]) if at >= 0 else ""
    if at > 0 and len(after) >= 2:  # "智能保温杯「小暖」全新上市" -> "全新上市" (the card says the rest)
        clause = after
    elif at == 0 and len(clause) > len(name) + 1:
        clause = after
    clause = ZH_SUBJ.sub("", clause) or clause
    clause = ZH_AUX.sub("", clause) or clause
    if "是" in clause[:8] and len(clause.split("是", 1)[1]) >= 2 and clause is not whole:
        clause = ZH_ONE.sub("", clause.split("是", 1)[1])
    elif clause.startswith("是") and len(clause) > 3:
        clause = ZH_ONE.sub("", clause[1:])
    cut = _cut(clause.strip())
    if cut.endswith("的") and len(cut) >= 3:  # "你想要的": a 的-phrase without its noun
        whole = "，".join(c.strip() for c in clauses)
        return whole if len(whole) <= KEY_CHARS + 2 else cut[:-1]
    return cut


def _cut(clause: str) -> str:
    """The clause whole when short; else what follows its subject's modal, its first part, or the clause."""
    seen = re.match(r"^(.{2,8}?)都?是(.{4,})的$", clause)
    if seen and len(seen.group(2)) <= KEY_CHARS + 2:  # "每一杯果汁都是当天早上现榨的" -> "当天早上现榨"
        return seen.group(2)
    if len(clause) <= KEY_CHARS:
        return clause
    m = _MODAL.search(clause, 2)
    if m and m.start() <= 8:
        rest = clause[m.end():]
        if 4 <= len(rest) <= KEY_CHARS + 2 and not _PREP_START.match(rest):
            return rest
    if len(clause) <= KEY_CHARS + 2:
        return clause
    parts = [p for p in re.split(r"并且|而且|以及|并|还", clause) if len(p) >= 3]
    if parts and 4 <= len(parts[0]) <= KEY_CHARS + 2 and not _BAD_END.search(parts[0]):
        return parts[0]
    if len(clause) <= WHOLE_CHARS:
        return clause
    joins = word_joins(clause)
    end = KEY_CHARS
    while end > 4 and end in joins:  # never inside a word: "…特点是它可" / "以…"
        end -= 1
    cut = clause[:end]
    while len(cut) > 4 and (bad := _BAD_END.search(cut)):
        cut = cut[:bad.start()]  # the whole ending word ("可以"), not one character of it
    return cut
