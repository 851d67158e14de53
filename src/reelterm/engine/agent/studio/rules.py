"""The rule table: which handler a message (or one clause of it) goes to, as data.

Each `Rule` names its handler as `"module:function"` inside `reelterm.engine.agent.studio` (imported
when first used, so handler modules may import this one), its patterns, and example messages that
tests/agent/test_rules.py checks are classified to it. The first rule that matches wins, so a more
specific rule comes before a broader one. Adding a rule from another module is one entry in `RULES`.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reelterm.engine.agent.studio.intents import (
    RuleMatch,
    after_colon,
    has,
    is_generation,
    quoted_text,
    strip_quotes,
)
from reelterm.engine.planner.moods import mood_from_text
from reelterm.engine.planner.numbers import normalize, parse_duration_ms, space_scripts


@dataclass(frozen=True)
class Probe:
    """What rules test: the message lower-cased (`low`), with numbers as digits (`norm`), and context."""

    low: str
    norm: str
    bare: str
    quoted: str | None
    has_text: bool
    has_draft: bool


@dataclass(frozen=True)
class Rule:
    """One row: `name` says what the message asks for; the rule matches when any of `any_of` (if given), all of
    `all_of` and none of `none_of` match `low` (or `norm` with `numbers`), and `when` (if given) agrees."""

    name: str
    handler: str | None
    """`"module:function"` in `reelterm.engine.agent.studio`, or None for intents the agent answers itself."""
    examples: tuple[str, ...]
    any_of: tuple[str, ...] = ()
    all_of: tuple[str, ...] = ()
    none_of: tuple[str, ...] = ()
    when: Callable[[Probe], bool] | None = None
    numbers: bool = False
    whole: bool = False
    """Match the whole message with `any_of` (`re.fullmatch`), e.g. "undo"."""

    def matches(self, p: Probe) -> bool:
        """True when this rule takes the message."""
        text = (p.low + " " + p.norm) if self.numbers else p.low
        if self.any_of:
            if self.whole:
                if not any(re.fullmatch(pat, text, re.IGNORECASE) for pat in self.any_of):
                    return False
            elif not any(has(pat, text) for pat in self.any_of):
                return False
        if not all(has(pat, text) for pat in self.all_of):
            return False
        if any(has(pat, text) for pat in self.none_of):
            return False
        return self.when is None or self.when(p)


# ---- the words rules look for ----------------------------------------------------------------

SEGMENT_KEY = (r"^\s*(?:delete segment \S+|move segment \S+ (?:later|earlier) by [\d.]+ ?s|"
               r"(?:trim|extend) the (?:start|end) of segment \S+ by [\d.]+ ?s|split segment \S+ at [\d.]+ ?s|"
               r"set the text of segment \S+ to:[\s\S]*|set the volume of segment \S+ to [\d.]+ ?%|"
               r"move scene \d+ (?:earlier|later))\s*$")
"""The exact requests the app's timeline keys send (issue 15)."""
_HELP = (r"what can you do|\bhelp\b|how do i|how does this work|what do you (do|support)"
         r"|\bcommands\b|帮助|你能做什么|能做什么|怎么用|如何使用|功能")
_ASKING = r"^(?:is|are|was|does|did|should (?:i|we)|do you think|would it be better)\b[^?]*\?\s*$"
"""A yes/no question ("is the music too loud?"): answered from the draft, never taken as an edit."""
_QUESTION = (r"^(?:so |and |ok |hey )?(?:why\b|how (?:long|many|big|loud)|what(?:'s| is| are)? (?:the )?(?:length|duration|"
             r"size|resolution|music|song|track|title|format|aspect|volume)|which (?:song|track|music)|"
             r"what (?:song|track|music)|is there (?:music|narration|a voice)|how much)\b|"
             r"多长|多久|几秒|什么歌|哪首|什么音乐|什么配乐|多大|几个场景|分辨率是|什么尺寸")
_LEAVE = (r"^\s*(?:please\s+)?(?:don'?t|do not|never|no need to)\s+(?:change|touch|remove|edit|alter|replace)\b|"
          r"^\s*(?:please\s+)?(?:keep|leave)\s+(?:the\s+|it\s+|everything\s+)?(?:music|song|title|captions?|format|length|"
          r"as it is|like that|unchanged)\b(?!.*\b(?:but|and|at|to)\b)|^\s*(?:别|不要|不用)(?:换|动|改|删)|保持(?:原样|不变)")
"""A request to leave something as it is: nothing to do, and nothing is done."""
_STATUS = (r"\b(show|list|display|see)\b.*\b(tracks?|timeline|draft|state)\b"
           r"|^\s*(status|state|tracks|timeline)\s*\??$|what'?s on the timeline|状态|轨道|时间线|看看进度"
           r"|当前草稿")
_CREDITS = r"\b(credits?|balance)\b|积分|余额"
_MERGE_VERB = r"\b(merge|combine|join|mux|sync|marry)\b|合并|合成|拼合|组合|混合|配到视频|加到视频"
_MERGE_MEDIA = r"audio|video|sound|music|track|mp3|wav|clip|音频|视频|声音|音乐|配乐"
EXPORT_NAMED = (r"\b(?:as|to|in|into|a|an)\s+(?:an?\s+)?\.?(?:mp4|mov|avi|webm|mkv|gif|jpe?g|png|webp|mp3|wav|m4a|aac)\b"
                r"|\b(?:mp4|mov|avi|webm|mkv|gif|jpe?g|png|webp|mp3|wav|m4a|aac)\s+(?:file|version|copy|format)\b")
"""A file format named as what to write ("as a wav file", "into webm")."""
_CAPTION_STYLE = (r"karaoke|word[- ]by[- ]word|word[- ]level|each word|every word|highlight(?:ed|ing)? (?:the |each )?words?"
                  r"|(?:plain|normal|regular|simple|static|sentence) (?:captions|subtitles|subs)"
                  r"|(?:captions|subtitles|subs) (?:plain|normal|static)|\b(?:captions|subtitles|subs)\b.{0,20}\b(?:plain|normal|regular|static)\b(?! size)|逐字|卡拉ok|普通字幕|整句字幕|静态字幕"
                  r"|字幕.{0,6}(?:普通|整句|静态|karaoke)")
_SPEECH = (r"karaoke|word[- ]by[- ]word|word[- ]level|word[- ]timed|highlight|\b(?:srt|vtt|webvtt)\b|subtitles?|"
           r"\b(?:voice(?:[- ]?overs?)?|narrat\w*|narrator|speaker|speech)\b|逐字|卡拉\s*ok|字幕|配音|旁白|人声|女声|男声|语速|音色|换(?:个|一个|一下)?声音")
"""Caption, voice and subtitle requests: the captions module's `speech_tools.route` takes those it knows
(and declines the rest, which go on to the rules below) when it is installed."""
_VOICE_SPEED = (r"(?:slow(?:er)?|fast(?:er)?|quick(?:er)?|speed|pace|rate|tempo)\b.{0,20}\b(?:voice(?:[- ]?over)?|narrat\w*|speak\w*|talk\w*|read\w*|speech)"
                r"|\b(?:voice(?:[- ]?over)?|narrat\w*|speak\w*|talk\w*|speech|reading)\b.{0,24}\b(?:slow\w*|fast\w*|quick\w*|speed|pace|rate|rushed)"
                r"|\bspeak (?:a bit |a little |much )?(?:slower|faster|more slowly|more quickly)|语速|说话.{0,4}[快慢]|配音.{0,4}[快慢]|念.{0,3}[快慢]")
_NARRATION = (r"voice[- ]?over|narrat|narrator|\bvoice\b|read (it|the text) (aloud|out)"
              r"|text to speech|\btts\b|配音|旁白|解说|朗读|人声")
_NOT_NARRATION = (r"\btoo\b|\bslow\w*|\bfast\w*|\bspeed\b|\bvolume\b|音量|louder|quieter|softer|\bup\b|\bdown\b|\bmute|大声|小声|调高|调低|\d\s*%|\bpercent\b|"
                  r"\bto \d|百分之")
_TEXT_SIZE = (r"\b(?:text|texts|captions?|subtitles?|subs|titles?|font|words|letters|writing)\b.{0,24}"
              r"\b(?:too (?:small|big|large|tiny)|bigger|larger|smaller|tiny|size|hard to read)\b|"
              r"\b(?:bigger|larger|smaller)\s+(?:text|font|captions|subtitles|titles?|words|letters)\b|\bfont size\b|"
              r"字.{0,4}(?:太小|太大|大一点|小一点|大点|小点|放大|缩小|看不清)|字号|字体大小|(?:放大|加大)字")
"""Text size: said honestly (the renderer sizes text for the canvas; chat cannot change it yet)."""
_PACE = (r"\b(?:text|captions?|subtitles?|subs|words|scenes?|slides?|it)\b.{0,30}\b(?:too (?:fast|quick(?:ly)?)|goes by|go by|"
         r"fl(?:y|ies) by|rushed|whizz\w*)\b|^\s*(?:(?:it'?s|this is|that'?s|way|much|a bit|kinda|bit)\s+)*too (?:fast|quick|rushed)\b"
         r"|(?:字幕|文字|画面|节奏|场景).{0,4}(?:太快|有点快|过快|快了)|^\s*太快了?|看不过来|来不及看|有点赶|太赶|放慢|慢一点|慢点")
"""The video goes by too fast to read: it gets longer (the voice's own speed has its own rule)."""
_PACE_BARE = r"^\s*(?:(?:it'?s|this is|that'?s|way|much|a bit|kinda|bit)\s+)*too (?:fast|quick|rushed)\b|^\s*太快了?"
"""A pace complaint naming nothing: with narration it is the voice (slower), else the video (longer)."""
_TITLE = r"\b(titles?|headlines?|heading)\b|标题|片头(?:的)?(?:文字|字)|开头(?:的)?(?:文字|字)|大标题"
_TITLE_CARD_EDIT = r"\btitle card\b.*\b(scene|move|swap)\b"
_CAPTION = (r"\b(captions?|subtitles?|subs|text overlays?|overlay text|lower third|text|on screen)\b|字幕|文字|文案"
            r"|[一几两]?[行句段]字|加(?:个|点|些)?字")
MUSIC_WORDS = r"\b(music|bgm|soundtrack|song|tune|background track|beat|track)\b|音乐|配乐|背景乐|bgm|歌"
_LOUDNESS = (r"\b(volume|louder|loud|quiet|quieter|softer|lower|raise|mute|unmute|hear|audible|drown\w*|"
             r"overpower\w*|blast\w*|deafening|turn (it |the music |the song |the bgm )?(up|down)|up|down)\b"
             r"|音量|大声|小声|调低|调高|调小|调大|关小|开大|降低|提高|静音|分贝|(?<![a-z])db\b|轻一点|响一点|听不太?[见清到]|太吵|吵|声音太?[大小]|[大小]一[点些]|[大小]些|[大小]声|[大小]点|太安静"
             r"|减半|翻倍|[一两]倍|压低|压小|放低|调轻|低一[点些]|轻点")
_ADD = r"\b(add|use|change|replace|switch|swap|another|different|new|put|pick)\b|换|加|用|来一段|来点"
_FADE = r"\bfade|淡入|淡出|渐入|渐出|渐隐|渐显|from black"
_TRANSITIONS = r"transition|crossfade|cross-fade|dissolve|\bwipe|\bslide (left|right)|hard cuts?|straight cuts?|转场|过渡|切换效果"
_VOLUME = (r"\b(volume|louder|quieter|softer|mute|unmute|sound off|silence|too loud|too quiet|can'?t hear)\b"
           r"|\bturn\b.*\b(up|down)\b|音量|静音|大声|小声|原声|太吵|太安静|听不太?[见清到]|声音.{0,3}[大小响低高轻]|声音减半")
_MOOD_ASK = r"\b(make it|more|mood|vibe|feel|sound)\b|氛围|感觉|风格|换成|改成"
_NOT_MOOD = r"\b(vertical|square|seconds?|scene|shorter|longer|captions?|subtitles?|voice)\b"
_SCENE = (r"\b(scenes?|shots?|slides?|clips?|(?:end|ending|closing|title|intro|opening|outro) ?card|intro|outro)\b"
          r"|场景|镜头|片段|片头|片尾|画面\s*\d|第\s*\S+\s*(个|段|幕)")
_SCENE_VERB = (r"\b(swap|switch|move|reorder|reverse|shuffle|put|remove|delete|drop|cut|skip|exchange|order|first"
               r"|last|before|after|start|end|kill|lose|rid|ditch|earlier|later|beginning|come)\b"
               r"|交换|调换|对调|互换|对换|换一下|换个位置|换位置|移到|放到|挪到|删除|删掉|删了|删去|拿掉|去掉|不要|倒序|反转|顺序|倒过来|反过来|颠倒")
_EXPORT = (r"\b(export|download|save (it |a |an )?(as )?|send (me|over) the (\w+ )?(video|file|mp4|mp3|gif|audio|m4a|wav|mov|webm)|render( it| a)?|give me the (file|mp4|video)"
           r"|extract (the )?audio|audio only|just the audio|(?:need|want|only) the (?:audio|sound)(?: file| track)?\s*[.!]*$|thumbnail|still|gif|poster|screenshot"
           r"|(?:low|draft|high|best|full|standard)[- ]quality (?:preview|version|render|export|copy|file)"
           r"|(?:quick|rough|draft) (?:preview|render|export)|preview (?:render|export|file))\b"
           r"|\bconvert\b|只要音频|只要声音|只要音轨|只需要音频|导出|下载|转换|转码|转成|转为|输出|保存为|保存成|存成|存为|另存|提取音频|导出音频|动图|封面")
_FORMAT = (r"\b(vertical|portrait|upright|for phones?|for mobile|square|landscape|horizontal|widescreen|aspect|ratio|resolution|res|tiktok|reels?|shorts"
           r"|stories|instagram|youtube|4k|uhd|\d{3,4}p|\d{2,6}\s*[x×]\s*\d{1,6})\b"
           r"|" + r"(?<![\d.])(?:16|9|1|4|5|3|21|2)\s*[:/x×比]\s*(?:9|16|1|5|4|3|2)(?![\d])" + r"|竖屏|竖版|横屏|横版|方形|正方形|分辨率|画幅|比例|抖音|快手|视频号|高清|4k|尺寸|小红书")
_TIME = (r"\b(?:down|cut|trim|shorten|shrink|get (?:it|this)(?: down)?) to \d+(?:\.\d+)?\s*[.!?]*$|"
         r"\b(trim|cut|chop|shorten|shorter|longer|lengthen|extend|keep|length|duration|long|seconds?|secs?|minutes?|mins?|min"
         r"|drags?|dragging|slow|boring|speed (?:it|this|things) up|too long|too short|snappier|tighter|tighten)\b"
         r"|\d\s*s\b|\d:\d\d|节奏太?慢|太慢了|剪|裁|截取|缩短|加长|延长|时长|长度|秒|分钟|保留|太长|太短|短一点|长一点|拖沓|拖|[两二三]倍|一半")
_SECONDS_OFF = (r"\b(?:first|last|final|opening|closing)\s+\d+(?:\.\d+)?\s*(?:s|secs?|seconds?)\b.{0,12}\b(?:off|of)\s+"
                r"(?:my|the|this)\s+(?:clip|video|footage)\b")
""""trim the first 2 seconds off my clip": seconds of the whole upload, not a scene."""
_STATEMENT = r"^(?:nobody|no one|people|everyone|everybody|they|viewers|most people)\b"
"""A remark about the world ("nobody watches 30s ads"), not a request."""
_VAGUE = (r"\b(better|nicer|improve|prettier|cooler|more professional|more engaging|pop|wow|fix it|polish)\b"
          r"|更好|好看|高级|优化|改进|精致|专业")
_PERCENT = r"\d+(\.\d+)?\s*%|\bpercent\b|\b0?\.\d+\b|\ba third\b|\bhalf\b|一半"


def _visual(p: Probe) -> bool:
    from reelterm.engine.agent.studio.visual_rule import (
        recognised,  # imports the picture library's module
    )

    return recognised(p.bare, p.has_draft)


def _music_words(p: Probe) -> bool:
    return has(MUSIC_WORDS, p.low)


def _is_generation(p: Probe) -> bool:
    return is_generation(p.bare, p.has_text, p.has_draft)


RULES: list[Rule] = [
    Rule("empty", None, ("", "?!"), when=lambda p: not p.low.strip(" .!?。！？")),
    Rule("keys", "keys:segment_key", (
        "delete segment c1", "move segment c1 later by 0.1s", "trim the end of segment c1 by 1s",
        "split segment c1 at 12.4s", "set the text of segment k1 to: Hi", "set the volume of segment music1 to 45%",
        "move scene 3 earlier"), any_of=(SEGMENT_KEY,)),
    Rule("undo", None, ("undo", "undo that", "go back", "撤销"), whole=True, any_of=(
        r"\s*(?:(?:oops|whoops|oh no|oh|ah|ugh|hmm|wait|no|nope|actually|sorry)[\s,!.]+)*(please\s+)?(undo|undo that|undo it|undo the last (change|edit)|go back|revert( that| the last change)?"
        r"|(ctrl|cmd|command|⌘)\s*[-+]?\s*z)\s*[.!]?\s*",
        r"\s*(?:哎呀|糟糕|不对|算了)?[，,\s]*(撤销|撤回|回退|返回上一步|取消上一步|上一步)"
        r"(?:刚才|上一步|上次|最后)?(?:一次)?的?(?:修改|操作|改动|编辑|那步)?\S{0,4}")),
    Rule("redo", None, ("redo", "重做"), whole=True, any_of=(
        r"\s*(please\s+)?(redo|redo that|redo it|(ctrl|cmd|command|⌘)\s*[-+]?\s*(y|shift\s*[-+]?\s*z))\s*[.!]?\s*", r"\s*(重做|恢复刚才|恢复上一步)\S{0,4}")),
    Rule("help", None, ("what can you do?", "help", "帮助", "你能做什么"), any_of=(_HELP,),
         none_of=(r"\bhelp (?:me|us) (?:to )?(?:make|create|do|turn|build|edit|with|cut|change|add|remove)\b",)),
    Rule("question", "questions:answer", ("is the music too loud?", "should I make it vertical?"), any_of=(_ASKING,)),
    Rule("keep", "questions:leave", ("don't change the music", "keep the music", "别换音乐"), any_of=(_LEAVE,)),
    Rule("status", None, ("show tracks", "status", "状态"), any_of=(_STATUS,)),
    Rule("credits", None, ("how many credits do I have", "积分"), any_of=(_CREDITS,)),
    Rule("question", "questions:answer", ("how long is it?", "which song is this?", "多长?", "这是什么歌？",
                                           "what size is the video?", "how many scenes are there?"),
         any_of=(_QUESTION,), none_of=(r"\b(make|set|change|cut|add|remove)\b.*\b(to|it)\b",)),
    Rule("merge", "files:merge", ("merge this audio and video into a single MP4 file", "把这个音频和视频合并"),
         any_of=(r"\bmerge\b|合并",)),
    Rule("merge", "files:merge", ("combine the audio with the video",),
         all_of=(_MERGE_VERB, _MERGE_MEDIA)),
    Rule("merge", "files:merge", ("put the music over my video",),
         all_of=(r"\b(?:put|lay|place|add|set)\b.{0,30}\b(?:over|on|under|onto|behind|to)\b",
                 r"\b(?:music|song|audio|track|mp3|soundtrack)\b", r"\b(?:my|the)\s+(?:video|clip|footage)\b"),
         when=lambda p: not p.has_draft),
    Rule("generate", "generate:generate", (
        "turn this text into a 30-second promotional video with visuals and music",
        "convert a two-sentence product description into a 1080p MP4", "把这段文字做成30秒的宣传视频，要有画面和音乐"),
         when=_is_generation),
    Rule("export", "files:export", ("i need the soundtrack as a wav file", "save it as a .mov file"),
         any_of=(EXPORT_NAMED,)),
    Rule("visual", "visual_rule:handle", ("use a rocket in scene 2", "no icons", "calmer transitions"),
         when=lambda p: _visual(p)),
    Rule("speech", "speech_tools:route", ("add these subtitles", "export the subtitles as srt", "use a female voice"),
         any_of=(_SPEECH,)),
    Rule("caption_style", "style:caption_style", ("add karaoke captions", "plain captions", "逐字字幕"),
         any_of=(_CAPTION_STYLE,)),
    Rule("voice_speed", "style:voice_speed", ("slower voice", "faster voice", "语速慢一点", "voice speed 1.2"),
         any_of=(_VOICE_SPEED,)),
    Rule("narration", "narration:narration", ("add a voiceover", "remove the narration", "加配音"),
         any_of=(_NARRATION,), none_of=(_NOT_NARRATION,)),
    Rule("text_size", "texts:size", ("text too small", "make the captions bigger", "字太小了"), any_of=(_TEXT_SIZE,),
         none_of=(r"太快|快了|太赶|来不及",)),
    Rule("voice_speed", "style:pace", ("it's too fast",), any_of=(_PACE_BARE,)),
    Rule("time", "tools:time", ("the text goes by too quickly", "too fast", "字幕太快了"), any_of=(_PACE,)),
    Rule("title", "texts:title", ("add a title 'Summer Sale' from 0 to 3 seconds", "remove the title", "去掉标题"),
         any_of=(_TITLE,), none_of=(_TITLE_CARD_EDIT,)),
    Rule("caption", "texts:caption", ("add a caption 'Free shipping' from 2 to 5 seconds", "删除所有字幕"),
         any_of=(_CAPTION,)),
    Rule("volume", "tools:volume", ("set the music volume to 20%", "I can barely hear the song", "the music is too loud"),
         all_of=(MUSIC_WORDS, _LOUDNESS), none_of=(r"\b(add|use|replace|switch|swap|another|different|new|pick)\b|换|来一段|来点",)),
    Rule("music", "tools:music", ("add calm music", "remove the music", "把音乐换成欢快的"),
         all_of=(MUSIC_WORDS,), when=lambda p: bool(mood_from_text(p.low)) or has(_ADD, p.low)),
    Rule("volume", "tools:volume", ("music at 40%", "音乐音量调到百分之二十"),
         all_of=(MUSIC_WORDS,), any_of=(_LOUDNESS, _PERCENT), numbers=True),
    Rule("music", "tools:music", ("no music", "kill the bgm"), all_of=(MUSIC_WORDS,), none_of=(_FADE,)),
    Rule("transitions", "tools:transitions", ("add dissolve transitions", "no transitions", "去掉转场"),
         any_of=(_TRANSITIONS,)),
    Rule("fades", "tools:fades", ("add a fade in and fade out", "加上淡入淡出"), any_of=(_FADE,)),
    Rule("volume", "tools:volume", ("mute the video", "太吵了", "its too loud"), any_of=(_VOLUME,)),
    Rule("music", "tools:music", ("make it lo-fi", "make it more chill"),
         any_of=(_MOOD_ASK,), none_of=(_NOT_MOOD,), when=lambda p: bool(mood_from_text(p.low))),
    Rule("scenes", "scenes:scenes", ("swap scenes 1 and 2", "remove scene 1", "交换第一个和第二个场景"),
         all_of=(_SCENE, _SCENE_VERB), none_of=(_SECONDS_OFF,), numbers=False),
    Rule("export", "files:export", ("export 1080p MP4", "export as m4a", "导出为aac", "convert to webm"),
         any_of=(_EXPORT,)),
    Rule("format", "tools:fmt+tools:time", ("needs to be under 15 seconds for stories", "a 15 second tiktok"),
         all_of=(_FORMAT,), when=lambda p: parse_duration_ms(p.bare) is not None),
    Rule("format", "tools:fmt", ("make it vertical", "TikTok format", "改成竖屏", "make it 4k"), any_of=(_FORMAT,)),
    Rule("time", "tools:time", ("make it 15 seconds", "cut the first 3 seconds", "it drags", "太长了"),
         any_of=(_TIME,), none_of=(_STATEMENT,), numbers=True),
    Rule("volume", "tools:volume", ("put it at 15%",), any_of=(r"\b(?:at|to)\s+\d+(?:\.\d+)?\s*(?:%|percent)",),
         numbers=True),
    Rule("music", "tools:music", ("换个温柔的", "something more romantic"), any_of=(_ADD, r"\bsomething\b|来个|来点"),
         when=lambda p: bool(mood_from_text(p.low))),
    Rule("vague", None, ("make it look better", "让它更好看一点"), any_of=(_VAGUE,)),
]
"""The rules, in the order they are tried."""


def probe(message: str, *, has_draft: bool) -> tuple[Probe, RuleMatch]:
    """The message prepared for the rules, and a match named `unknown` until a rule takes it."""
    quoted = quoted_text(message)
    colon = after_colon(message)
    bare = strip_quotes(message) if quoted else message
    if colon and not quoted:
        bare = message[: len(message) - len(colon)]
    low = space_scripts(bare.lower().strip())
    p = Probe(low, normalize(bare), bare, quoted, bool(quoted or colon), has_draft)
    return p, RuleMatch("unknown", bare, quoted)


def classify(message: str, *, has_draft: bool) -> RuleMatch:
    """How the rule table reads one message (or clause): the first rule that matches, else `unknown`."""
    p, match = probe(message, has_draft=has_draft)
    for rule in RULES:
        if rule.matches(p):
            return RuleMatch(rule.name, match.bare, match.quoted)
    return match


def rules_after(message: str, first: Rule, *, has_draft: bool) -> list[Rule]:
    """`first`, then every later rule with a handler that also matches (for handlers that decline)."""
    p, _ = probe(message, has_draft=has_draft)
    start = next((i for i, r in enumerate(RULES) if r is first), None)
    if start is None:
        return [first]
    return [first] + [r for r in RULES[start + 1:] if r.handler and r.matches(p) and _available(r)]


def rule_for(message: str, *, has_draft: bool) -> Rule | None:
    """The rule that takes the message, or None."""
    p, _ = probe(message, has_draft=has_draft)
    return next((r for r in RULES if r.matches(p) and _available(r)), None)


def _available(rule: Rule) -> bool:
    """False for a rule that names a module which is not installed."""
    return rule.handler is None or bool(handlers_of(rule))


_HANDLERS: dict[str, Any] = {}


def handlers_of(rule: Rule) -> list[Callable[..., Any]]:
    """The rule's handlers, run in order (imported on first use); empty for intents the agent answers
    itself, and for a rule whose module is not installed (a rule may name an optional module)."""
    out = []
    for ref in (rule.handler or "").split("+"):
        if not ref:
            continue
        if ref not in _HANDLERS:
            module, _, func = ref.partition(":")
            try:
                _HANDLERS[ref] = getattr(importlib.import_module(f"reelterm.engine.agent.studio.{module}"), func)
            except (ImportError, AttributeError):
                _HANDLERS[ref] = None
        if _HANDLERS[ref] is None:
            return []
        out.append(_HANDLERS[ref])
    return out
