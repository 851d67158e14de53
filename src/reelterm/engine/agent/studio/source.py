"""Where the text to film is in a message, and which words are the instruction around it.

Source text may come in quotes, after a colon (or "-", "—", "->", a line break) that ends an
instruction, before the instruction ("<script> … make this a 15s promo"), after a pointer ("from the
following", "below", "下面", "以下"), or labelled ("Script: …", "文案：…") with fields such as
"Length: 20 seconds" / "平台：抖音" that belong to the instruction. The instruction's words never
become part of the source, so they never end up on screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelterm.engine.agent.studio.intents import has, quoted_text
from reelterm.engine.agent.studio.rules import rule_for

MIN_SOURCE = 12
"""Shorter text is a label or a name, not something to film (Chinese: 4 characters)."""


def _long_enough(text: str) -> bool:
    return len(text) >= MIN_SOURCE or len(re.findall(r"[\u3400-\u9fff]", text)) >= 4

_REQUEST = (r"\b(?:make|turn|convert|create|generate|produce|build|transform|render|put together|need|want|"
            r"give me|can (?:you|u)|could (?:you|u)|pls|plz|please|use|do|i'?d like|gimme)\b"
            r"|做成|生成|制作|转成|做一个|做个|做条|做一条|做一段|弄成|剪成|帮我|给我|请|做")
_OBJECT = (r"\b(?:video|videos|vid|vids|vidoe|vidio|viedo|clip|promo|promotional|ad|advert|commercial|reel|reels|"
           r"tiktok|tik tok|short|shorts|story|stories|mp4|movie|film|trailer|teaser|explainer|text[- ]to[- ]video)\b"
           r"|视频|短视频|宣传片|短片|广告|影片|抖音|视频号")
_POINTER = (r"\b(?:this|that|these|the following|following|below|above|here'?s|here is|as follows|my (?:text|copy|script))\b"
            r"|下面|以下|上面|这段|这句|这篇|如下|这些|这个")
_TEXT = (r"\b(?:text|txt|script|copy|description|article|paragraph|blurb|words|post|intro|caption|message|idea|"
         r"brief|concept)\b"
         r"|文字|文案|脚本|文本|介绍|这段话|内容")
_FIELD = re.compile(r"^\s*(?:length|duration|platform|format|aspect(?: ratio)?|size|music|style|tone|voice(?:over)?|"
                    r"resolution|ratio|mood|时长|平台|格式|尺寸|音乐|配乐|风格|要求|比例|分辨率|画幅)\s*[:：]", re.IGNORECASE)
_LABEL = re.compile(r"^\s*(?:script|text|copy|body|content|description|vo|voice ?over text|文案|脚本|正文|文字|内容|"
                    r"视频文案(?:如下)?)\s*[:：]\s*", re.IGNORECASE | re.MULTILINE)
_TITLE_LABEL = re.compile(r"^\s*(?:title|headline|标题)\s*[:：]\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_SLOT = (r"\b(?:seconds?|secs?|minutes?|mins?|vertical|portrait|square|landscape|music|voice-?over|narration|"
         r"tiktok|reels?|shorts|instagram|youtube|mp4|mov|webm|gif|mp3|export|720p|1080p|4k|\d+\s*s|captions?|"
         r"subtitles?|transitions?|fades?)\b|\d\s*[:：]\s*\d|秒|分钟|竖屏|横屏|方形|音乐|配乐|配音|导出|字幕|转场")
_IMPERATIVE = (r"^\s*(?:\^\s*)?(?:make it|make that|keep it|use|add|with|in|at|export|render|no music|without|and|also|"
              r"then|plus|please|pls|oh and|set|change|put|switch)\b|^\s*(?:然后|并且|再|还要|另外|加上?|改成|换成|导出|要)")
_CONNECTOR = re.compile(r"^\s*(?:and then|then|also|plus|and|oh and|ps|p\.s\.|然后|并且|再|还要|另外|同时)[\s,，:：]*",
                        re.IGNORECASE)
_SEPARATOR = re.compile(r"\s*(?:(?<!\d)(?<!https)(?<!http)[:：](?!//)|(?<!https)(?<!http)[:：](?!\d|//)|\s[-–—]{1,2}\s|--+|—|->|→|=>)\s*|\n+")
_SENTENCE = re.compile(r"(?<=[.!?])(?<!\bCo\.)(?<!\bInc\.)(?<!\bMr\.)(?<!\bDr\.)(?<!\bSt\.)(?<!\bvs\.)"
                       r"(?<!\be\.g\.)(?<!\bi\.e\.)(?<!\b[A-Z]\.)\s+|(?<=[。！？])|\n+")


@dataclass(frozen=True)
class Source:
    """The text to film, and the instruction that asked for it (everything else in the message)."""

    text: str
    instruction: str
    labelled: bool = False
    """True for a labelled script ("Script: …"), which asks for a video by itself."""
    implied: bool = False
    """A text with settings for it ("… Make it 20 seconds. Use calm music."): a video when the timeline is empty."""

    def asks(self, has_draft: bool = True) -> bool:
        """True when the message asks to film this text (on an empty timeline, also a text with settings)."""
        return self.labelled or asks_for_video(self.instruction) or (self.implied and not has_draft)


def asks_for_video(text: str) -> bool:
    """True when the words ask for a video ("make this a 15s promo pls", "帮我生成一个30秒的视频")."""
    if has(r"text[- ]to[- ]video|文字转视频|文本转视频", text):
        return True
    return has(_OBJECT, text) and (has(_REQUEST, text) or has(_POINTER, text) or has(_TEXT, text))


_SLOT_RE = re.compile(_SLOT, re.IGNORECASE)
_SETTING_FREE = re.compile(r"[\W\d_]+|\b(?:in|at|with|a|an|the|and|or|please|pls|plz|long|max|about|around|video|make|it|"
                           r"length|format|only|just|calm|upbeat|happy|energetic|chill|lo-?fi|epic|sad|no|without|"
                           r"high|quality|hd|full|to|of)\b", re.IGNORECASE)
"""Words a short settings sentence may hold besides the settings themselves."""


def _instruction_like(sentence: str) -> bool:
    s = sentence.strip()
    if not s:
        return True
    if _FIELD.match(s) or asks_for_video(s):
        return True
    if not has(_SLOT, s) or len(s.split()) > 14 or len(s) > 80:
        return False
    if has(_IMPERATIVE, s) or (len(s.split()) <= 4 and not _SETTING_FREE.sub(" ", _SLOT_RE.sub(" ", s)).strip()):
        return True  # "9:16, 15 sec." / "Vertical please." - but "Books in 60 seconds." is content
    # "Then make it square and add calm music." / "然后改成竖屏，加欢快的音乐。": an edit after a connector
    rest = _CONNECTOR.sub("", s)
    rule = rule_for(rest, has_draft=True) if rest != s else None
    return rule is not None and rule.name not in ("unknown", "vague", "generate", "question", "help")


def _clean(text: str) -> str:
    return text.strip().strip("-–—>→=^ ").strip()


def _fields_out(text: str) -> tuple[str, str]:
    """Take fields ("Length: 20s", "时长：15秒") and leading/trailing instruction sentences out of a source."""
    kept, moved = [], []
    for line in text.splitlines():
        parts = re.split(r"(?=(?:(?<=[\s.。，,;；])|^)(?:length|duration|platform|format|aspect ratio|resolution|music|"
                         r"时长|平台|格式|尺寸|要求|配乐|音乐)\s*[:：])", line, flags=re.IGNORECASE)
        kept.append(parts[0])
        moved += parts[1:]
    body = "\n".join(kept).strip()
    sentences = [x for x in _SENTENCE.split(body) if x and x.strip()]
    while len(sentences) > 1 and _instruction_like(sentences[-1]):
        last = sentences.pop()
        moved.insert(0, last)
        body = body[:body.rfind(last)].rstrip()
    while len(sentences) > 1 and _instruction_like(sentences[0]):
        first = sentences.pop(0)
        moved.insert(0, first)
        body = body[body.find(first) + len(first):].lstrip()
    return body.strip(" ,，;；"), " ".join(m.strip() for m in moved)


_SAYING = re.compile(r"\b(?:saying|that says|to say|announcing|telling (?:people|everyone|customers|them) (?:that )?)\s+"
                     r"(?P<what>[^?!.]{6,})[?!.]*\s*$", re.IGNORECASE)
"""What the video should say, written inside the instruction ("a promo saying we now deliver")."""


def _with_saying(source: Source) -> Source:
    m = _SAYING.search(source.instruction)
    if not m:
        return source
    what = m.group("what").strip()
    return Source(f"{source.text.rstrip()} {what[:1].upper()}{what[1:]}.", source.instruction[:m.start()].strip(),
                  source.labelled, source.implied)


def split_source(message: str) -> Source | None:
    """The source text in the message and the instruction around it, or None when it holds no source."""
    found = _split_source(message)
    return _with_saying(found) if found is not None else None


_BRIEF = re.compile(r"(?:^|(?<=[\s.;。；]))(?P<label>app name|product name|product|brand|name|tagline|slogan|cta|"
                    r"call to action|offer|产品名称|产品|品牌|名称|标语|口号)\s*[:：]\s*(?P<value>[^\n.;。；]+)",
                    re.IGNORECASE)
"""A brief's fields whose values are words to show ("App name: Tidy", "Tagline: a calmer inbox")."""


def _brief(text: str) -> Source | None:
    fields = list(_BRIEF.finditer(text))
    if not fields:
        return None
    values = [f.group("value").strip() for f in fields if f.group("value").strip()]
    body = ". ".join(v[:1].upper() + v[1:] for v in values)
    rest = text
    for f in reversed(fields):
        rest = rest[:f.start()] + " " + rest[f.end():]
    rest = re.sub(r"\s+", " ", rest).strip(" .;")
    if not _long_enough(body) and len(values) < 2 or not asks_for_video(rest):
        return None
    return Source(body + ".", _clean(rest), labelled=True)


def _split_source(message: str) -> Source | None:
    text = message.strip()
    if not text:
        return None
    # a labelled script: "Script: …" (a "Title: …" line stays with it as its heading)
    label = _LABEL.search(text)
    if label:
        before = text[:label.start()]
        body, fields = _fields_out(text[label.end():])
        title = _TITLE_LABEL.search(before)
        if title:
            body = title.group(1).strip() + "\n" + body
            before = before[:title.start()] + before[title.end():]
        if _long_enough(body):
            return Source(body, _clean(f"{before} {fields}"), labelled=True)
    brief = _brief(text)
    if brief is not None:
        return brief
    quoted = quoted_text(text)
    if quoted and _long_enough(quoted):
        rest = text.replace(quoted, " ", 1).replace("“ ”", " ").replace('" "', " ").replace("「 」", " ")
        return Source(quoted, _clean(rest))
    # the instruction first, then a separator, then the text
    for m in _SEPARATOR.finditer(text):
        head, tail = text[:m.start()], text[m.end():]
        spec = not asks_for_video(head) and len(head) <= 120 and has(_OBJECT, head) and has(_SLOT, head)
        if asks_for_video(head) or spec:  # spec: "4K video, 30 seconds: …" names a video by its settings
            body, fields = _fields_out(tail)
            if _long_enough(body) and not asks_for_video(body[:60]):
                return Source(body, _clean(f"{head} {fields}"), implied=spec)
            break
        if len(head) > 200:
            break
    # the text first, the instruction after it (or an instruction sentence first, then the text)
    sentences = [s for s in _SENTENCE.split(text) if s and s.strip()]
    if len(sentences) < 2:
        return None
    lead: list[str] = []
    trail: list[str] = []
    while len(sentences) > 1 and _instruction_like(sentences[0]):
        lead.append(sentences.pop(0))
    while len(sentences) > 1 and _instruction_like(sentences[-1]):
        trail.insert(0, sentences.pop())
    instruction = " ".join(x.strip() for x in lead + trail)
    if not (lead or trail):
        return None
    implied = not asks_for_video(instruction)
    start = text.find(sentences[0]) if sentences else 0
    end = text.rfind(sentences[-1]) + len(sentences[-1]) if sentences else 0
    body = text[start:end].strip()
    if not _long_enough(body) or _instruction_like(body):
        return None
    return Source(body, _clean(instruction), implied=implied)


_MD_LINK = re.compile(r"!?\[([^\]\n]{1,200})\]\((?:[^)\s]{1,500})\)")
_MD_LINE = re.compile(r"^[ \t]{0,8}(?:#{1,6}[ \t]+|>[ \t]?|[-*+•·▪◦‣][ \t]+|\d{1,3}[.)][ \t]+|\[[ xX]\][ \t]+)")
_MD_EMPHASIS = re.compile(r"(\*\*|\*|~~|`|(?<!\w)__|(?<!\w)_)(?=\S)([^\n]{1,200}?)(?<=\S)\1(?!\w)")
"""**bold**, *it*, `code`, ~~gone~~, _it_ (never inside a word: my_file_name stays); bounded, so linear."""
_LINK_ONLY = re.compile(r"(?:https?:)?//\S+|\bwww\.\S+", re.IGNORECASE)


def clean_markup(text: str) -> str:
    """Pasted markdown as plain words: no heading marks, bullets, emphasis stars or link syntax; a list
    item or heading without an ending gets a full stop, so each one is a sentence of its own."""
    lines = []
    for line in text.splitlines():
        mark = _MD_LINE.match(line)
        bullet = mark is not None and not mark.group(0).strip().startswith(("#", ">"))
        line = _MD_LINE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        for _ in range(3):  # ***both*** takes two passes
            if not any(ch in line for ch in "*_~`"):
                break
            line, changed = _MD_EMPHASIS.subn(r"\2", line)
            if not changed:
                break
        line = line.strip()
        if bullet and line and not re.search(r"[.!?。！？…:：]$", line):
            line += "。" if re.search(r"[\u3400-\u9fff]$", line) else "."
        lines.append(line)
    return "\n".join(lines).strip()


def link_instead_of_text(message: str, text: str) -> bool:
    """True when the message points at a web page for its words ("turn www.acme.io/about into a promo") and
    what was taken as the text is only the instruction around that address."""
    links = _LINK_ONLY.findall(message)
    words = text.strip().strip(".。!").lower()
    return bool(links) and words in message.lower() and len(text) < 80 and not any(link in text for link in links)


def only_links(text: str) -> bool:
    """True when the text to film is nothing but web addresses (reelterm opens no pages)."""
    return bool(_LINK_ONLY.search(text)) and not re.search(r"[A-Za-z\u3400-\u9fff]{2,}", _LINK_ONLY.sub(" ", text))


_SUBJECT = re.compile(r"\b(?:for|promoting|introducing|about)\s+(?:the\s+|our\s+|my\s+)?((?:[A-Z0-9][\w&'’-]*\s+){0,3}"
                      r"[A-Z0-9][\w&'’-]*)(?:\s+[a-z]+)?\s*(?:using|with|from|based on|in\b|,|\.|$)")
_NOT_SUBJECT = re.compile(r"\d+\w*|TikTok|YouTube|Instagram|IG|Reels?|Shorts?|LinkedIn|Facebook|Twitter|X|Stories",
                          re.IGNORECASE)


def with_subject(text: str, instruction: str) -> str:
    """A list or text whose product the instruction names ("promo for the Volt X phone using these")
    gets that name as its heading line, unless the text already says it."""
    m = _SUBJECT.search(instruction)
    if m is None:
        return text
    name = m.group(1).strip()
    if len(name) < 2 or name.lower() in text.lower() or _NOT_SUBJECT.fullmatch(name):
        return text
    return f"{name}\n{text}"
