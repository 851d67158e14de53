"""Text -> storyboard -> draft: scenes from sentences, a title card, an end card, timed captions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reelterm.engine.planner.cuts import after, audience_only, bind_lines, without
from reelterm.engine.planner.headlines import headline
from reelterm.engine.planner.moods import DEFAULT_MOOD, choose_music, mood_from_text
from reelterm.engine.planner.palette import card_background, palette
from reelterm.engine.planner.phrases import covers, key_phrases
from reelterm.engine.planner.product import product_thing
from reelterm.engine.planner.scene_kinds import (
    MOTIFS,
    classify,
    entrance_for,
    picture_refs,
    split_url,
    transition_for,
)
from reelterm.engine.planner.scene_media import Visual, assign_media, scene_looks
from reelterm.engine.planner.sentences import (
    caption_chunks,
    cjk_share,
    default_cta,
    is_cta,
    readable_pieces,
    reading_ms,
    split_sentences,
)
from reelterm.protocol import Draft, validate_local_draft

Wire = dict[str, Any]

DEFAULT_LENGTH_MS = 30_000
"""The length of a video when the message asks for none (longer only when the text needs it)."""
MAX_DEFAULT_LENGTH_MS = 60_000
"""The longest a default-length video grows to fit its text."""
MUSIC_VOLUME = 0.35
"""Background music volume by default."""
DUCKED_VOLUME = 0.15
"""Background music volume under narration."""
TRANSITION: str | None = "fade"
"""The transition between generated scenes. The renderer cross-fades only the seams, so it costs
little (bench/README.md); "no transitions" turns them off."""
TRANSITION_MS = 400
"""How long a transition lasts."""
KEY_MIN_MS = 2800
"""A scene shows one more key phrase per this much of its length (at most three)."""
KEY_IN_MS = 100
"""A scene's key phrase appears this long after the cut (it fades in)."""
CAPTION_IN_MS = 600
"""Captions and taglines follow the big words by this much, so the eye reads one, then the other."""
TEXT_OUT_MS = 100
"""Texts are gone (faded out) this long before the next cut."""


@dataclass(frozen=True)
class Scene:
    """One shot: `kind` title/scene/cta, its text, big `keys` (shown in turn), timing, background, captions."""

    kind: str
    text: str
    start_ms: int
    duration_ms: int
    background: str
    visual_kind: str = "gradient"
    clip_ms: int | None = None
    captions: tuple[tuple[int, int, str], ...] = ()
    keys: tuple[str, ...] = ()
    layout: str = "feature"
    pictures: tuple[str, ...] = ()
    sub: str = ""
    url: str = ""
    beats: bool = False  # `pictures` follow the `keys` in turn (one picture per key phrase)

    @property
    def end_ms(self) -> int:
        """Where the scene ends."""
        return self.start_ms + self.duration_ms


@dataclass(frozen=True)
class Storyboard:
    """The plan of a video: cards and scenes in order, total length, language and mood."""

    title: str
    cta: str
    scenes: tuple[Scene, ...]
    duration_ms: int
    zh: bool
    mood: str
    default_length: bool
    sentences_used: int
    sentences_total: int
    reading_ms: int
    tagline: str = ""
    is_name: bool = False


@dataclass(frozen=True)
class Plan:
    """A storyboard and the draft made from it, plus notes for the reply."""

    storyboard: Storyboard
    draft: Draft
    music: str | None
    notes: list[str] = field(default_factory=list)


def _card_ms(total: int) -> int:
    return int(min(3000, max(1200, round(total * 0.12 / 100) * 100)))


def _min_scene_ms(total: int) -> int:
    return 2000 if total >= 12_000 else 1200


def make_storyboard(text: str, *, duration_ms: int | None = None, mood: str | None = None,
                    visuals: Sequence[Visual] = (), voice_ms: Sequence[int] | None = None,
                    closing: str = "") -> Storyboard:
    """Plan scenes for the text so that they add up to `duration_ms` exactly.

    Sentences become scenes (too many for the length: the first ones that fit are used); a title
    card and an end card (the text's own call to action, or a default) bracket them. `voice_ms`,
    one length per body sentence, makes each scene at least as long as its narration. `closing` is the end
    card of a text with no call to action of its own (else "Get X today").
    Raises ValueError for text with no words.
    """
    text = text.strip()
    sentences = readable_pieces(split_sentences(text))
    if not sentences:
        raise ValueError("no text")
    zh = cjk_share(text) > 0.3
    head = headline(text, sentences)
    title = head.title
    body = list(sentences)
    if len(body) > 1 and (body[0].strip("#*: ") == title or (not head.is_name and covers(title, body[0]))
                          or (head.is_name and head.tagline and covers(f"{title} {head.tagline}", body[0]))):
        body = body[1:]  # the title card says this sentence already ("Zest — cold-pressed juices …")
    elif len(body) > 2 and head.is_name and audience_only(body[0], title, head.tagline):
        body = body[1:]  # "Pawtrail is a GPS collar for dogs [that love to explore]": the card said it
    cta = ""
    for i in range(len(body) - 1, -1, -1):
        if is_cta(body[i]) and len(body) > 1:
            cta = body.pop(i)
            break
    cta = cta or closing or default_cta(title if head.is_name else "", zh)
    mood = mood or mood_from_text(text) or DEFAULT_MOOD
    weights = [reading_ms(s) for s in body]
    if voice_ms is not None:
        weights = [max(w, v + 600) for w, v in zip(weights, list(voice_ms) + [0] * len(body), strict=False)]
    default = duration_ms is None
    if default:
        need = sum(weights) + 2 * _card_ms(DEFAULT_LENGTH_MS)
        total = DEFAULT_LENGTH_MS if need <= DEFAULT_LENGTH_MS else min(
            MAX_DEFAULT_LENGTH_MS, int(math.ceil(need / 5000) * 5000))
    else:
        total = max(3000, min(int(duration_ms or 0), 4 * 3600 * 1000))
    card = _card_ms(total)
    budget = total - 2 * card
    min_scene = _min_scene_ms(total)
    max_scenes = max(1, budget // min_scene)
    used: list[int] = []
    spent = 0
    for i, w in enumerate(weights):
        if used and (len(used) >= max_scenes or spent + w > budget):
            break
        used.append(i)
        spent += w
    chosen = [body[i] for i in used]
    w_used = [weights[i] for i in used]
    floor = sum(w_used) / len(w_used) * 0.5
    scaled = [max(w, floor) for w in w_used]
    total_w = sum(scaled)
    lengths = [max(100, int(round(budget * w / total_w / 100)) * 100) for w in scaled]
    lengths[-1] = budget - sum(lengths[:-1])
    if lengths[-1] < min_scene // 2:  # rounding starved the last scene: spread evenly instead
        even = budget // len(lengths)
        lengths = [even] * len(lengths)
        lengths[-1] = budget - even * (len(lengths) - 1)

    media = assign_media(chosen, [v for v in visuals if v.kind in ("image", "video")])
    grads = palette(text, len(chosen), mood)
    cards_bg = card_background(text, mood)
    name = title if head.is_name else ""
    looks = scene_looks(chosen, media, title, head.tagline, name, product_thing(sentences, name))
    title_pics = looks.pop(0)
    scenes = [Scene("title", title, 0, card, cards_bg, keys=(title,), layout="title", pictures=title_pics,
                    sub=head.tagline)]
    t = card
    for i, (sentence, length) in enumerate(zip(chosen, lengths, strict=True)):
        vis = media[i]
        if vis is not None:
            bg, kind, clip = vis.src, vis.kind, vis.duration_ms
        else:
            bg, kind, clip = grads[i], "gradient", None
        sk = classify(sentence)
        pics = looks[i]
        layout = "media" if vis is not None else sk.layout
        if layout == "list" and len(pics) < 2:
            layout = "feature"
        keys = key_phrases(sentence, name, head.tagline)[: max(1, length // KEY_MIN_MS)]
        sub = ""
        if layout == "number":
            keys, sub = [sk.big], next((k for k in (without(k, sk.big) for k in keys) if k), "") or after(
                sentence, sk.big)
        elif layout == "quote":
            keys, sub = [sk.big], sk.sub
        beats = False
        if layout == "feature" and len(keys) >= 2 and len(pics) == 1:
            # a long scene shows a picture for each of its key phrases where one fits
            taken = {r for sc in scenes for r in sc.pictures} | {r for look in looks for r in look}
            more = picture_refs(keys[1:], (name,) if name else (), avoid=tuple(taken))
            seq = list(pics)
            for ref in more:
                seq.append(ref if ref and ref not in seq else seq[-1])
            if len(set(seq)) > 1:
                pics, beats = tuple(seq), True
        said = " ".join([*keys, sub])
        caps = () if layout == "quote" or covers(said, sentence) else _captions(sentence, t, length)
        scenes.append(Scene("scene", sentence, t, length, bg, kind, clip, caps, tuple(keys), layout,
                            pics, sub, beats=beats))
        t += length
    brand = name if name and name.lower() not in cta.lower() else ""
    words, url = split_url(cta)
    shown = {r for sc in scenes for r in sc.pictures}
    end_pic = () if url else (next((f"motif:{m}" for m in MOTIFS[::-1] if f"motif:{m}" not in shown), "motif:dots"),)
    scenes.append(Scene("cta", cta, t, card, cards_bg, keys=(_card_words(words),), layout="end", sub=brand,
                        url=url, pictures=end_pic))
    return Storyboard(title=title, cta=cta, scenes=tuple(scenes), duration_ms=t + card, zh=zh,
                      mood=mood, default_length=default, sentences_used=len(chosen),
                      sentences_total=len(body), reading_ms=sum(weights), tagline=head.tagline,
                      is_name=head.is_name)


def _card_words(text: str) -> str:
    """Big words lose a closing full stop ("Order yours today." -> "Order yours today")."""
    return text.strip().rstrip(".。") or text.strip()


MIN_CAPTION_MS = 1200
"""The shortest caption a reader can take in."""


def _captions(sentence: str, start: int, length: int) -> tuple[tuple[int, int, str], ...]:
    """Caption pieces that start after the key phrase and end with it, each sized by its length."""
    lead, tail = min(CAPTION_IN_MS, length // 6), min(TEXT_OUT_MS, length // 10)
    room = length - lead - tail
    chunks = caption_chunks(sentence)
    chunks = chunks[: max(1, room // MIN_CAPTION_MS)]  # never a caption too short to read
    sizes = [max(len(c), 1) for c in chunks]
    if min(room * z // sum(sizes) for z in sizes) < MIN_CAPTION_MS:
        sizes = [1] * len(chunks)  # a short tail piece gets as long as the others rather than a flash
    out = []
    t = start + lead
    for i, (chunk, size) in enumerate(zip(chunks, sizes, strict=True)):
        d = start + lead + room - t if i == len(chunks) - 1 else int(room * size / sum(sizes))
        out.append((t, d, chunk))
        t += d
    return tuple(out)


def storyboard_to_draft(sb: Storyboard, *, width: int = 1920, height: int = 1080, fps: int = 30,
                        music: str | None = None, music_volume: float = MUSIC_VOLUME,
                        voice: Sequence[tuple[int, str, int]] = ()) -> Draft:
    """The draft for a storyboard; `voice` lists (scene index, `asset:` ref, length ms) to narrate."""
    video: list[Wire] = []
    pictures: list[Wire] = []
    titles: list[Wire] = []
    captions: list[Wire] = []
    for i, sc in enumerate(sb.scenes):
        m: Wire = {"name": _scene_name(sc, i, len(sb.scenes)), "fit": "cover", "layout": sc.layout}
        seg: Wire = {"id": f"v{i + 1}", "s": sc.start_ms, "d": sc.duration_ms, "src": sc.background, "m": m}
        if sc.visual_kind == "image":
            m["move"] = "kenburns"
        if sc.visual_kind == "video":
            m["volume"] = 0.0
            if sc.clip_ms is not None and sc.clip_ms < sc.duration_ms:
                m["loop"] = True
        if sc.layout == "end" and sc.url:
            m["qr"] = True
        if i > 0 and TRANSITION:
            m["transition"] = transition_for(sb.mood, i) if TRANSITION == "fade" else TRANSITION
            m["transition_ms"] = min(TRANSITION_MS, sc.duration_ms // 4)
        video.append(seg)
        for k, (slot, ref, a, d) in enumerate(_picture_spans(sc)):
            pictures.append({"id": f"p{i + 1}-{k + 1}", "s": a, "d": d, "src": ref,
                             "m": {"name": f"Picture {k + 1} of {m['name'].lower()}", "scene": seg["id"],
                                   "slot": slot, "enter": entrance_for(sb.mood, i + k),
                                   "move": "float"}})
        _texts(sc, seg["id"], titles, captions, last=i == len(sb.scenes) - 1)
    tracks: list[Wire] = [
        {"tt": 0, "id": "video", "m": {"name": "Video"}, "sg": video},
        {"tt": 0, "id": "pictures", "m": {"name": "Pictures"}, "sg": pictures},
        {"tt": 7, "id": "titles", "m": {"name": "Titles"}, "sg": titles},
        {"tt": 7, "id": "captions", "m": {"name": "Captions"}, "sg": captions},
    ]
    if not pictures:
        tracks.pop(1)
    total = sb.duration_ms
    if music:
        volume = DUCKED_VOLUME if voice and music_volume == MUSIC_VOLUME else music_volume
        tracks.append({"tt": 1, "id": "music", "m": {"name": "Music"}, "sg": [{
            "id": "music1", "s": 0, "d": total, "src": music, "m": {
                "name": "Background music", "volume": round(volume, 3), "fade_in": min(1000, total // 4),
                "fade_out": min(2000, total // 4), "loop": True}}]})
    if voice:
        tracks.append({"tt": 1, "id": "voice", "m": {"name": "Narration"}, "sg": [
            {"id": f"n{k + 1}", "s": sb.scenes[idx].start_ms + 300,
             "d": max(100, min(length, sb.scenes[idx].duration_ms - 300)), "src": ref,
             "m": {"name": f"Narration {k + 1}", "volume": 1.0}}
            for k, (idx, ref, length) in enumerate(voice)]})
    draft = Draft.model_validate({"t": tracks, "d": total, "m": {
        "title": sb.title[:120], "width": width, "height": height, "fps": fps}})
    return draft


def _picture_spans(sc: Scene) -> list[tuple[int, str, int, int]]:
    """(slot, ref, start, length) of a scene's pictures: side by side, or one per key phrase in turn."""
    if not sc.beats:
        return [(slot, ref, sc.start_ms, sc.duration_ms) for slot, ref in enumerate(sc.pictures)]
    step = sc.duration_ms // max(1, len(sc.keys)) // 100 * 100
    spans: list[tuple[int, str, int, int]] = []
    for k, ref in enumerate(sc.pictures):
        a = sc.start_ms + k * step
        end = sc.end_ms if k == len(sc.pictures) - 1 else a + step
        if spans and spans[-1][1] == ref:  # the same picture goes on: one longer span
            spans[-1] = (0, ref, spans[-1][2], end - spans[-1][2])
        else:
            spans.append((0, ref, a, end - a))
    return spans


def _texts(sc: Scene, scene_id: str, titles: list[Wire], captions: list[Wire], last: bool) -> None:
    """The scene's big words (its layout's headline box, on `titles`), its smaller line and captions."""
    step = sc.duration_ms // max(1, len(sc.keys)) // 100 * 100
    for i, key in enumerate(sc.keys):  # one after another, each fading in after a cut or the last
        a, b = sc.start_ms + i * step, sc.end_ms if i == len(sc.keys) - 1 else sc.start_ms + (i + 1) * step
        start = a if sc.kind == "title" else a + min(KEY_IN_MS, step // 10)
        end = b if last else b - min(TEXT_OUT_MS, step // 10)
        n = sum(1 for x in titles if x["id"].startswith("k")) + 1
        sid, name = {"title": ("title", "Title"), "cta": ("cta", "Call to action")}.get(
            sc.kind, (f"k{n}", f"Key phrase {n}"))
        titles.append({"id": sid, "s": start, "d": end - start, "m": {
            "name": name, "text": key if sc.kind == "title" else bind_lines(key, balance=True), "style": "title",
            "position": "center",
            "fade_in": min(400, (end - start) // 4), "fade_out": min(300, (end - start) // 4),
            "scene": scene_id, "role": "headline"}})
    lead = min(CAPTION_IN_MS, sc.duration_ms // 6)
    s, e = sc.start_ms + lead, sc.end_ms if last else sc.end_ms - min(TEXT_OUT_MS, sc.duration_ms // 10)
    lines = [("sub", sc.sub), ("url", sc.url)]
    for role, text in lines:
        if not text:
            continue
        line_id, line_name = {"title": ("tagline", "Tagline"), "cta": ("brand", "Name")}.get(
            sc.kind, (None, None))
        if role == "url":
            line_id, line_name = "url", "Web address"
        if line_id is None:
            n = sum(1 for x in titles if x["id"].startswith("l")) + 1
            line_id, line_name = f"l{n}", f"Line {n}"
        fade = min(250, (e - s) // 4)
        style = "caption" if sc.kind in ("title", "cta") and role == "sub" else "lower_third"
        titles.append({"id": line_id, "s": s, "d": e - s, "m": {
            "name": line_name, "text": text if role == "url" else bind_lines(text), "style": style,
            "position": "bottom",
            "fade_in": fade, "fade_out": fade, "scene": scene_id, "role": role}})
    for s, d, text in sc.captions:
        fade = min(250, d // 4)
        captions.append({"id": f"c{len(captions) + 1}", "s": s, "d": d, "m": {
            "name": f"Caption {len(captions) + 1}", "text": bind_lines(text), "style": "caption",
            "position": "bottom", "fade_in": fade, "fade_out": fade}})


def _scene_name(sc: Scene, index: int, count: int) -> str:
    if sc.kind == "title":
        return "Title card"
    if sc.kind == "cta":
        return "End card"
    return f"Scene {index}"


def plan_video(text: str, *, duration_ms: int | None = None, width: int = 1920, height: int = 1080,
               mood: str | None = None, visuals: Sequence[Visual] = (),
               music_volume: float = MUSIC_VOLUME, with_music: bool = True) -> Plan:
    """Text -> storyboard -> a validated draft; the same inputs always give the same draft."""
    sb = make_storyboard(text, duration_ms=duration_ms, mood=mood, visuals=visuals)
    music = choose_music(sb.mood, text) if with_music else None
    draft = storyboard_to_draft(sb, width=width, height=height, music=music, music_volume=music_volume)
    validate_local_draft(draft)
    return Plan(storyboard=sb, draft=draft, music=music)
