"""Intent recognition for English and Chinese messages: keyword rules, checked in a fixed order."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelterm.engine.planner.moods import mood_from_text
from reelterm.engine.planner.numbers import normalize, space_scripts

_QUOTES = re.compile(r"“([^”]+)”|\"([^\"]+)\"|「([^」]+)」|『([^』]+)』|‘([^’]+)’|(?<![A-Za-z])'([^']+)'(?![A-Za-z])")


@dataclass(frozen=True)
class Intent:
    """What a message asks for: `name`, the message without quoted text, and the quoted text."""

    name: str
    bare: str
    quoted: str | None


def quoted_text(message: str) -> str | None:
    """The longest quoted span of the message (“…”, "…", 「…」, '…'), if any."""
    spans = [next(g for g in m.groups() if g is not None) for m in _QUOTES.finditer(message)]
    spans = [s.strip() for s in spans if s and s.strip()]
    return max(spans, key=len) if spans else None


def after_colon(message: str) -> str | None:
    """Text after the first colon, when it is long enough to be content rather than a label."""
    m = re.search(r"(?<!\d)[:：](?!\d)\s*(.+)$", message, re.DOTALL)
    if not m:
        return None
    body = m.group(1).strip()
    if re.fullmatch(r"\d{1,2}(?:\s*[:：]\s*\d{2})*.*", body) and len(body) < 12:
        return None
    return body if len(body) >= 12 else None


_PLATFORM = (r"(?:(?:my|our|the|a|an)\s+)?(?:instagram|tiktok|youtube|facebook|twitter|x|linkedin|snapchat|"
             r"pinterest|reels?|shorts?|stories)(?:\s+(?:reels?|shorts?|stories|videos?|ads?|posts?|feed))?")
_LENGTH = r"(?:\d+|one|two|three|half\s+a|a)\s*(?:s|secs?|seconds?|mins?|minutes?)"
_NOT_A_TOPIC = re.compile(rf"^(?:{_PLATFORM}|{_LENGTH})(?:\s+(?:about|of|on|showing|featuring)\b|$)", re.IGNORECASE)
"""A "for …" that names where the video goes or how long it is, not what it is about."""
_REFERENCE = re.compile(r"^(?:(?:this|that|these|those|the|my|our)\s+)?(?:uploaded\s+)?(?:script|text|document|"
                        r"doc|file|pdf|docx|txt|upload|description|copy|content|words)\b", re.IGNORECASE)
"""A "for …" that points at what was uploaded: the uploaded text is the source, not these words."""

_INSTRUCTIONS = re.compile(
    r"(?:[,;]? (?:with|and|plus) (?:[^ ]+ ){0,3}?(?:music|soundtrack|bgm|narration|voice-?over|subtitles|"
    r"captions|transitions)\b|[,;]? (?:in )?(?:\d+ ?: ?\d+|vertical|portrait|square|landscape)\b|"
    r"[,;]? (?:in|of|lasting) \d+ ?(?:s|sec|secs|seconds?|minutes?)\b).*$", re.IGNORECASE | re.DOTALL)
"""Trailing instructions after a topic; spaces are collapsed first, so no run of them backtracks."""
_ZH_TOPIC = re.compile(r"(?:关于(.{4,}?)|(?:为|给)(?!(?:[我你他她咱]们|[我你您他她它]|大家)(?![们的]))"
                       r"([^做拍生制]{4,}?))(?:做|制作|拍|生成)?(?:一个|一条|一段|个)?的?(?:宣传)?(?:视频|短片|宣传片)")
"""关于X的视频 / 为X做视频 / 给X做个视频; "给我做一个视频" (make me a video) names no topic."""


def topic_text(message: str) -> str | None:
    """The topic of "make a video about X" / "a promo for X" / "关于X的视频", when long enough to plan from."""
    flat = " ".join(message.split())
    for lead in (r"about", r"for|promoting|advertising|introducing|showcasing|featuring"):
        m = re.search(rf"\b(?:{lead}) (.{{12,}})$", flat, re.IGNORECASE)
        if m is None or _REFERENCE.match(m.group(1)):
            continue
        topic = _NOT_A_TOPIC.sub("", m.group(1)).strip()
        topic = _INSTRUCTIONS.sub("", topic).strip().rstrip(".!?,")
        if len(topic) >= 12 and len(topic.split()) >= 3:
            return topic[:1].upper() + topic[1:] + "."
    m = _ZH_TOPIC.search(flat)
    return (m.group(1) or m.group(2)) + "。" if m else None


def strip_quotes(message: str) -> str:
    """The message with quoted spans replaced by a placeholder."""
    return _QUOTES.sub(" «q» ", message)


def has(pattern: str, text: str) -> bool:
    """True when the regex `pattern` matches somewhere in `text`, ignoring case."""
    return re.search(pattern, text, re.IGNORECASE) is not None


_GEN_VERB = (r"\b(turn|convert|make|create|generate|produce|build|transform|render|put together)\b"
             r"|generat|做成|生成|制作|转成|转换成|变成|做一个|做个|做一段|做条|做支|弄成|剪成|text[- ]to[- ]video|文字转视频|文本转视频")
_GEN_OBJ = (r"\b(video|clip|promo|promotional|ad|advert|commercial|reel|mp4|movie|film|trailer|teaser|explainer)\b"
            r"|视频|短片|宣传片|广告|影片|短视频")
_TEXT_NOUN = (r"\b(text|script|scripts|description|copy|article|paragraph|story|words|blog|post|document|doc|pdf|docx|txt|prompt|prompts|written|caption text|slogan|tagline|summary|pitch|announcement)\b"
              r"|文字|文案|脚本|文本|描述|这段|这篇|内容|稿|介绍|说明")
_MERGE_VERB = r"\b(merge|combine|join|mux|sync|marry)\b|合并|合成|拼合|组合|混合|配到视频|加到视频"
_MERGE_MEDIA = r"audio|video|sound|music|track|mp3|wav|clip|音频|视频|声音|音乐|配乐"
_VOLUME_WORDS = (r"\b(volume|louder|quiet|quieter|softer|lower|raise|mute|unmute|turn (it |the music )?(up|down))\b"
                 r"|音量|大声|小声|调低|调高|降低|提高|静音|轻一点|响一点")
_PROMO = r"\b(promo|promotional|ad|advert|commercial|marketing|marketers|explainer)\b|宣传|广告|推广|营销"


def is_generation(bare: str, has_text: bool, has_draft: bool) -> bool:
    """True when the message asks to make a new video from text."""
    verb = has(_GEN_VERB, bare)
    obj = has(_GEN_OBJ, bare)
    if has(r"text[- ]to[- ]video|文字转视频|文本转视频|videos? from (written )?(text|scripts?)", bare):
        return True
    if not (verb and obj):
        return False
    if has(_TEXT_NOUN, bare) or has_text or has(_PROMO, bare):
        return True
    if topic_text(bare) or (has(r"\b(about|for|on)\b|关于", bare) and not has_draft):
        return True
    # "make me a video" / "给我做一个视频": a video from whatever text there is (else it asks)
    return not has_draft and has(r"\b(this|it|that|me|us)\b|这个|它|[给帮为](?:我|我们)(?!的)", bare)


_UNDO = r"\s*(please\s+)?(undo|undo that|undo it|undo the last (change|edit)|go back|revert( that| the last change)?)\s*[.!]?\s*"
_UNDO_ZH = r"^\s*(撤销|撤回|回退|返回上一步|取消上一步|上一步)"
_REDO = r"\s*(please\s+)?(redo|redo that|redo it)\s*[.!]?\s*"
_REDO_ZH = r"^\s*(重做|恢复刚才|恢复上一步)"
_HELP = (r"what can you do|\bhelp\b|how do i|how does this work|what do you (do|support)"
         r"|commands|帮助|你能做什么|能做什么|怎么用|如何使用|功能")
_STATUS = (r"\b(show|list|display|see)\b.*\b(tracks?|timeline|draft|state)\b"
           r"|^\s*(status|state|tracks|timeline)\s*\??$|what'?s on the timeline|状态|轨道|时间线|看看进度"
           r"|当前草稿")
_CREDITS = r"\b(credits?|balance)\b|积分|余额"
_NARRATION = (r"voice[- ]?over|narrat|narrator|\bvoice\b|read (it|the text) (aloud|out)"
              r"|text to speech|\btts\b|配音|旁白|解说|朗读|人声")
_NOT_NARRATION = r"\bvolume\b|音量|louder|quieter|softer|\bup\b|\bdown\b|\bmute|大声|小声|调高|调低"
_TITLE = r"\b(titles?|headlines?|heading)\b|标题|片头文字|大标题"
_TITLE_CARD_EDIT = r"\btitle card\b.*\b(scene|move|swap)\b"
_CAPTION = r"\b(captions?|subtitles?|subs|text overlays?|overlay text|lower third|text)\b|字幕|文字|文案"
_MUSIC = r"\b(music|bgm|soundtrack|song|tune|background track|beat)\b|音乐|配乐|背景乐|bgm|歌"
_ADD = r"\b(add|use|change|replace|switch|swap|another|different|new|put)\b|换|加|用|来一段|来点"
_MUSIC_FADE = r"\bfade|淡入|淡出|渐入|渐出"
_TRANSITIONS = r"transition|crossfade|cross-fade|dissolve|\bwipe|\bslide (left|right)|转场|过渡|切换效果"
_FADES = r"\bfade|淡入|淡出|渐入|渐出|渐隐|渐显"
_VOLUME = (r"\b(volume|louder|quieter|softer|mute|unmute|sound off|silence)\b"
           r"|\bturn\b.*\b(up|down)\b|音量|静音|大声|小声|原声")
_MOOD_ASK = r"\b(make it|more|mood|vibe|feel|sound)\b|氛围|感觉|风格|换成|改成"
_NOT_MOOD = r"\b(vertical|square|seconds?|scene)\b"
_SCENE = r"\b(scenes?|shots?|slides?|clips?)\b|场景|镜头|片段|画面\s*\d|第\s*\S+\s*(个|段|幕)"
_SCENE_VERB = (r"\b(swap|switch|move|reorder|reverse|shuffle|put|remove|delete|drop|cut|skip|exchange|order|first|last|before|after|start|end)\b"
               r"|交换|调换|对调|互换|移到|放到|挪到|删除|删掉|去掉|不要|倒序|反转|顺序")
_EXPORT = (r"\b(export|download|save (it )?as|send me the (video|file)|render( it)?|give me the (file|mp4|video)|extract (the )?audio|audio only)\b"
           r"|\bconvert\b|导出|下载|转换|转码|转成|转为|输出|保存为|提取音频|导出音频")
_FORMAT = (r"\b(vertical|portrait|square|landscape|horizontal|widescreen|aspect|ratio|resolution|tiktok|reels|shorts|4k|\d{3,4}p|\d{3,4}\s*x\s*\d{3,4})\b"
           r"|\d\s*:\s*\d{1,2}\b|竖屏|竖版|横屏|横版|方形|正方形|分辨率|画幅|比例|抖音|高清")
_TIME = (r"\b(trim|cut|shorten|shorter|longer|lengthen|extend|keep|length|duration|long|seconds?|secs?|minutes?)\b"
         r"|\d\s*s\b|剪|裁|截取|缩短|加长|延长|时长|长度|秒|分钟|保留")
_VAGUE = (r"\b(better|nicer|improve|prettier|cooler|more professional|more engaging|pop|wow|fix it|polish)\b"
          r"|更好|好看|高级|优化|改进|精致|专业")
_PERCENT = r"\d+(\.\d+)?\s*%"


def classify(message: str, *, has_draft: bool) -> Intent:
    """The intent of one message; the order of the rules settles overlaps."""
    quoted = quoted_text(message)
    colon = after_colon(message)
    bare = strip_quotes(message) if quoted else message
    if colon and not quoted:
        bare = message[: len(message) - len(colon)]
    low = space_scripts(bare.lower().strip())
    norm = normalize(bare)

    def hit(name: str) -> Intent:
        return Intent(name, bare, quoted)

    if not low.strip(" .!?。！？"):
        return hit("empty")
    if re.fullmatch(_UNDO, low) or has(_UNDO_ZH, low):
        return hit("undo")
    if re.fullmatch(_REDO, low) or has(_REDO_ZH, low):
        return hit("redo")
    if has(_HELP, low):
        return hit("help")
    if has(_STATUS, low):
        return hit("status")
    if has(_CREDITS, low):
        return hit("credits")
    if has(r"\bmerge\b|合并", low) or has(_MERGE_VERB, low) and has(_MERGE_MEDIA, low):
        return hit("merge")
    if is_generation(bare, bool(quoted or colon), has_draft):
        return hit("generate")
    if has(_NARRATION, low) and not has(_NOT_NARRATION, low):
        return hit("narration")
    if has(_TITLE, low) and not has(_TITLE_CARD_EDIT, low):
        return hit("title")
    if has(_CAPTION, low):
        return hit("caption")
    music_word = has(_MUSIC, low)
    volume_words = has(_VOLUME_WORDS, low)
    add_words = has(_ADD, low)
    if music_word and volume_words and not add_words:
        return hit("volume")
    if music_word and (mood_from_text(low) or add_words):
        return hit("music")
    if music_word and (volume_words or re.search(_PERCENT, norm)):
        return hit("volume")
    if music_word and not has(_MUSIC_FADE, low):
        return hit("music")
    if has(_TRANSITIONS, low):
        return hit("transitions")
    if has(_FADES, low):
        return hit("fades")
    if has(_VOLUME, low):
        return hit("volume")
    if mood_from_text(low) and has(_MOOD_ASK, low) and not has(_NOT_MOOD, low):
        return hit("music")
    if has(_SCENE, low) and has(_SCENE_VERB, low):
        return hit("scenes")
    if has(_EXPORT, low):
        return hit("export")
    if has(_FORMAT, low):
        return hit("format")
    if has(_TIME, low + " " + norm):
        return hit("time")
    if has(_VAGUE, low):
        return hit("vague")
    return hit("unknown")
