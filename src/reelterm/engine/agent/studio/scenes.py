"""The scenes tool: reorder, swap, move or remove scenes, and remove the title or end card."""

from __future__ import annotations

from reelterm.engine.agent.base import TurnContext
from reelterm.engine.agent.studio import edits as E
from reelterm.engine.agent.studio.intents import RuleMatch, has
from reelterm.engine.agent.studio.replies import say, seconds
from reelterm.engine.agent.studio.tools import Outcome, ask
from reelterm.engine.planner.numbers import parse_ordinals


def scenes(ctx: TurnContext, match: RuleMatch, message: str, zh: bool) -> Outcome:
    """Reorder, swap, move or remove scenes."""
    data = E.to_wire(ctx.draft)
    body = E.scene_segments(data)
    imap = E.scene_index_map(data)
    count = len(body)
    names = ", ".join(f"{i + 1} “{_scene_label(data, s)}”" for i, s in enumerate(body)) or "—"
    if count == 0:
        return ask(say("empty_draft", zh))
    low = match.bare.lower()
    raw = [n for n in parse_ordinals(low) if n != 0]
    if has(r"\bfirst (?:two|2)\b|前两个", low):
        raw = [1, 2]
    elif has(r"\blast (?:two|2)\b|最后两个", low):
        raw = [-2, -1]
    nums = [count + 1 + n if n < 0 else n for n in raw]
    if any(n < 1 or n > count for n in nums):
        return ask(say("scene_which", zh, count=count, names=names))
    card = _card(data, low, zh)
    if card is not None:
        return card
    both = not nums or (nums == [2] and has(r"\b(?:the two|both|2) scenes\b|两个场景|两个镜头|俩", low))
    if both and count == 2 and has(r"\b(swap|switch|exchange|flip)\b|交换|调换|对调|互换|对换|换一下|换个位置|换位置", low):
        nums = [1, 2]  # "swap the two scenes", "两个场景换一下位置"
    blocks = len(E.scene_blocks(data))
    order = list(range(count))
    if has(r"\b(reverse|backwards)\b|倒序|反转|倒过来|反过来|颠倒", low):
        order.reverse()
    elif has(r"\b(remove|delete|drop|cut|skip|get rid of|lose|kill|ditch|scrap)\b|删除|删掉|删了|删去|去掉|不要|剪掉|拿掉", low):
        if not nums:
            return ask(say("scene_which", zh, count=count, names=names))
        if len(set(nums)) >= count:
            return ask(say("scene_last", zh))
        drop = {imap[n - 1] for n in nums}
        E.rearrange(data, list(range(blocks)), drop)
        draft = E.finish(data)
        label = ", ".join(str(n) for n in nums)
        return Outcome("remove_scene", {"scenes": nums}, draft,
                       say("scene_removed", zh, index=label, seconds=seconds(draft.duration_ms)),
                       f"Removed scene {label}")
    elif len(nums) >= 2 and has(r"\b(swap|switch|exchange|trade)\b|交换|调换|对调|互换|对换|换一下|换个位置|换位置", low):
        i, j = nums[0] - 1, nums[1] - 1
        order[i], order[j] = order[j], order[i]
    elif nums and has(r"\b(move|put|place|make|come|go|be|open with|start with)\b|移到|放到|挪到|放在|移至|提到", low):
        src = nums[0] - 1
        order.remove(src)
        if has(r"\b(start|beginning|front|first|top|opening)\b|最前|开头|第一个?$|最开始|[放移挪提]到前[面头]", low.split(str(nums[0]), 1)[-1]) and len(nums) < 2:
            order.insert(0, src)
        elif has(r"\b(end|last|bottom)\b|最后|末尾|结尾", low) and len(nums) < 2:
            order.append(src)
        elif len(nums) >= 2:
            dst = nums[1] - 1
            pos = order.index(dst) if dst in order else len(order)
            if has(r"\bafter\b|之后|后面", low):
                pos += 1
            order.insert(pos, src)
        else:
            return ask(say("scene_which", zh, count=count, names=names))
    else:
        return ask(say("scene_which", zh, count=count, names=names))
    full = list(range(blocks))
    for slot, k in zip(imap, order, strict=True):
        full[slot] = imap[k]
    E.rearrange(data, full)
    draft = E.finish(data)
    new_order = [k + 1 for k in order]
    return Outcome("reorder_scenes", {"order": new_order}, draft,
                   say("scenes_reordered", zh, order=", ".join(map(str, new_order))), "Reordered scenes")


_CARDS = ((r"\b(?:end|ending|closing|final|outro) ?card\b|\boutro\b|片尾", "End card"),
          (r"\b(?:title|intro|opening) ?card\b|\bintro\b|片头", "Title card"))


def _card(data: E.Wire, low: str, zh: bool) -> Outcome | None:
    """Remove the title card or the end card ("remove the end card", "去掉片尾"), or None."""
    if not has(r"\b(remove|delete|drop|cut|skip|get rid of|lose|kill|ditch)\b|删除|删掉|删了|去掉|不要|剪掉", low):
        return None
    blocks = E.scene_blocks(data)
    for pattern, name in _CARDS:
        if has(pattern, low):
            label = {"End card": "片尾", "Title card": "片头"}[name] if zh else name.lower()
            index = next((i for i, (seg, _) in enumerate(blocks) if seg.get("m", {}).get("name") == name), None)
            if index is None or len(blocks) < 2:
                return ask(say("card_none", zh, card=label))
            E.rearrange(data, list(range(len(blocks))), {index})
            draft = E.finish(data)
            return Outcome("remove_scene", {"card": name}, draft,
                           say("card_removed", zh, card=label, seconds=seconds(draft.duration_ms)),
                           f"Removed the {name.lower()}")
    return None


def _scene_label(data: E.Wire, seg: E.Wire) -> str:
    for t in data["t"]:
        if t.get("tt") == 7:
            for x in t["sg"]:
                if seg["s"] <= x["s"] < seg["s"] + seg["d"]:
                    words: str = x.get("m", {}).get("text", "")
                    return words if len(words) <= 24 else words[:23] + "…"
    label: str = seg.get("m", {}).get("name") or seg.get("src", "")
    return label
