"""Words for the picture picker: English tokens with light lemmas, stop words, and name removal."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z][a-z0-9]*(?:['’][a-z]+)?")
_URL = re.compile(r"(?:https?://\S+|www\.\S+|\S+@\S+|\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}\b(?:/\S*)?)",
                  re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

STOP = frozenset("""
a about above after again against all almost along already also although always am among an and
another any anyone anything anywhere are around as at away back be because been before being below
between both but by can cannot could did do does doing done down during each either else enough
even ever every everyone everything everywhere few for from further had has have having he her here
hers him his how however i if in into is it its itself just least less let like ll made make makes
many may me might more most much must my myself near need needs never no nor not now of off often on
once one only onto or other others otherwise our ours ourselves out over own per perhaps quite rather
re really s same see seen shall she should since so some someone something sometimes somewhere still
such t than that the their theirs them themselves then there these they thing things this those
though through throughout thus till to together too toward towards under until up upon us ve very
via was we well were what whatever when whenever where wherever whether which while who whoever
whole whom whose why will with within without would yet you your yours yourself yourselves
zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty fifty
hundred hundreds thousand thousands million millions billion half dozen
""".split())
"""Function words: never a picture."""

WEAK = frozenset("""
best better big bigger biggest new newest smart smarter smartest great greater good amazing awesome
easy easier easiest simple simpler simplest free first last next top ultimate perfect perfectly
premium pro plus max mini ultra super real truly true right left fresh freshly unique
get gets got getting give gives given go goes going gone come comes came coming take takes took
want wants wanted know knows knew keep keeps kept put puts say says said tell tells try tries tried
use uses used using help helps helped find finds found show shows showed look looks looked feel feels
felt work works worked way ways day days today tonight tomorrow yesterday time times moment moments
year years week weeks month months minute minutes hour hours second seconds
life lives people person everyone world thing stuff lot lots part kind sort type
change changes changed start starts started end ends ended begin begins ready wait waits waited
business company brand brands product products service services solution solutions customer customers
experience experiences quality value values level levels option options feature features
love loves loved like likes liked need needed matter matters think thinks thought believe
close closer far ever forever again soon now here there
more most less least much many lot full whole every each all any some none enough
high low long short small large huge tiny little
make made makes making build built builds design designed designs create created creates
meet meets introducing introduce introduces announce announcing launch launches launched
join joins joined visit visits visited order orders ordered buy buys bought shop shops
track tracks tracking tracked count counts beat beats stick sticks settle turn turns turned
trust trusted trusts old older young room rooms space spaces control controls complete completely weekend weekends
nothing anything everything something okay ok yes cool nice fun favorite favourite special
live living style stylish modern classic local daily everyday instantly finally honest honestly
""".split())
"""Generic words of ad copy that would pick a wrong literal picture ("the best way", "get started")."""

WEAK_ZH = ("小时", "分钟", "做好", "做到", "电子", "数字", "在线", "网络", "自动", "高端", "新款", "天然", "自然", "第一", "一点", "一下", "周末", "欢迎", "体验", "现在", "最好", "更好", "全新", "智能", "专业", "一起", "我们", "你们", "您的",
           "简单", "轻松", "立即", "马上", "值得", "拥有", "不平凡", "一个", "一切", "每天", "今天",
           "从未", "如此", "生活", "世界", "人生", "品质", "服务", "产品", "品牌", "未来", "时间")
"""Chinese filler words, blanked before matching so a picture tag inside them does not fire."""


def singular(word: str) -> str:
    """The word without a plural ending (`berries` -> `berry`); -ing forms stay as written."""
    return word if word.endswith("ing") else lemma(word)


@lru_cache(maxsize=1 << 16)
def lemma(word: str) -> str:
    """A light English lemma: plural and -ing endings off (`berries`→`berry`, `running`→`run`)."""
    w = word.lower().replace("’", "'")
    if not w:
        return w
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3:
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("ves") and len(w) > 4:
        return w[:-3] + "f"
    if w.endswith(("sses", "shes", "ches", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is", "ous")):
        return w[:-1]
    if w.endswith("ing") and len(w) > 5:
        stem = w[:-3]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
            stem = stem[:-1]  # running -> run, shopping -> shop
        return stem
    return w


MEASURES = frozenset("""cup cups glass glasses bowl bowls piece pieces slice slices bag bags box boxes
bottle bottles jar jars pair pairs set sets kind kinds type types sort sorts lot lots bunch plate plates
pack packs can cans bar bars loaf loaves pot pots mug mugs spoonful handful""".split())
"""Words that measure what follows "of" ("a cup of coffee"): the picture is the thing measured."""


def strip_urls(text: str) -> str:
    """`text` without web and e-mail addresses (`brewlab.co`, `hi@x.io`)."""
    return _URL.sub(" ", text)


def words(text: str) -> list[str]:
    """Lower-case English words of `text`, in order (URLs and e-mail addresses dropped)."""
    text = _URL.sub(" ", text.lower().replace("’", "'"))
    out = _WORD.findall(text)
    return ["" if w in MEASURES and i + 1 < len(out) and out[i + 1] == "of" else w
            for i, w in enumerate(out)]


@lru_cache(maxsize=1 << 15)
def phrase(text: str) -> tuple[str, ...]:
    """The lemmas of a picture's name or tag (`hot beverage` -> ("hot", "beverage"))."""
    return tuple(lemma(w) for w in _WORD.findall(text.lower().replace("-", " ")))


def surface(text: str) -> tuple[str, ...]:
    """The words of a picture's name or tag as written (`shipping` stays `shipping`)."""
    return tuple(_WORD.findall(text.lower().replace("-", " ")))


def strip_names(text: str, names: tuple[str, ...] | list[str]) -> str:
    """`text` with every made-up product name removed, whole and word by word."""
    for name in sorted((n for n in names if n and n.strip()), key=len, reverse=True):
        text = re.sub(re.escape(name.strip()), " ", text, flags=re.IGNORECASE)
        for part in re.findall(r"\w+", name):
            if _CJK.search(part):
                text = text.replace(part, " ")
            else:
                text = re.sub(rf"(?<![\w]){re.escape(part)}(?![\w])", " ", text, flags=re.IGNORECASE)
    return text


def variants(word: str) -> tuple[str, ...]:
    """The word and its singular forms (`cookies`: cookies, cooky, cookie); -ing forms as written."""
    out = [word]
    if word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
        out += [lemma(word), word[:-1]]
        if word.endswith("ves"):
            out.append(word[:-3] + "fe")
        if word.endswith("oes"):
            out.append(word[:-2])  # tomatoes, potatoes, mangoes
    elif word.endswith("is") and len(word) > 4:
        out.append(word[:-1])  # taxis, kiwis, bikinis (basis, crisis name no picture)
    return tuple(dict.fromkeys(out))


_DISCOUNT = re.compile(r"\d+\s*%\s*off|\bhalf[- ]price|\bbuy one,? get one|\bbogo\b|\d+\s*折|半价|买一送一",
                       re.IGNORECASE)
_CTA = frozenset("book order call try get visit join shop buy download start play watch plan "
                 "track count reserve grab claim discover explore send share print host rent pay adopt "
                 "grow learn fly drive ride stream build make".split())
_LEAD_OBJECT = frozenset("your the a an my our their every each any".split())
DETERMINERS = frozenset("a an the your our my their his her its every each this that these those any "
                        "some no per one two three four five six seven eight nine ten".split())
"""Words after which a verb-like word ("run", "cruise") is a noun ("every run", "a cruise")."""
MATERIALS = frozenset("glass wooden wood leather paper cotton silk wool woollen metal steel gold golden "
                      "silver plastic stone bamboo ceramic crystal velvet denim linen copper brass marble "
                      "concrete rubber cardboard".split())
"""Materials before a noun ("glass igloo", "paper bags") say what it is made of, not what it is."""
SUBJECTS = frozenset("we you they i he she it who can will could would should must may might "
                     "don't doesn't didn't won't can't never always also just we'll you'll they'll "
                     "we're you're they're let's".split())
"""Words after which the next word is a verb ("we ship", "it grows"), not a thing."""


NEGATION = frozenset("no not never without zero non".split())
"""Words that deny the next one ("no sugar", "never worry"): that thing is not in the scene."""
NEGATION_ZH = frozenset("不没无别勿免零")
_PARTICLES = frozenset("up out off down away".split())
_BE = frozenset("is are am was were be been being it's we're you're they're".split())


def verb_use(raw: list[str], i: int) -> bool:
    """True when word `i` is used as a verb or denied: "Round up", "is hiring", "no sugar"."""
    before = raw[i - 1] if i > 0 else ""
    if before in NEGATION or (before in ("don't", "doesn't", "won't", "can't") and i > 1):
        return True
    if raw[i].endswith("ing") and before in _BE:
        return True  # "we are hiring": a verb, not a thing
    after = raw[i + 1] if i + 1 < len(raw) else ""
    return after in _PARTICLES and before not in DETERMINERS  # "round up", "check out", not "a pop up"


_MODIFIER = re.compile(r"\b[a-z]+-(?:grade|proof|free|level|style|like|class|sized|inspired|resistant|"
                       r"friendly|ready|approved|tested|certified|quality|clear|sized|safe)\b",
                       re.IGNORECASE)


_DOOR = re.compile(r"\b(?:right\s+)?(?:to|at|on)\s+(?:your|the)\s+(?:front\s+)?door(?:step)?s?\b|"
                   r"\b(?:door[- ]to[- ]door)\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """Ad phrasings that name no object but mean one: "50% off" -> "discount"; a leading
    imperative verb ("Book flights", "Order now") and quality compounds ("bank-grade",
    "scratch-proof", "gluten-free") are dropped."""
    text = _MODIFIER.sub(" ", _DISCOUNT.sub(" discount ", text))
    text = _DOOR.sub(" ", text)  # "delivered to your door": where it arrives, not what it is
    text = re.sub(r"\b[a-z]+(?:-to-[a-z]+)+\b", " ", text, flags=re.IGNORECASE)  # farm-to-table
    # particle compounds name no thing: in-house, walk-in, add-on, pop-up, all-in-one
    text = re.sub(r"\b[a-z]+(?:-[a-z]+)*-(?:in|on|up|off|out|over)\b(?:-[a-z]+)*|\b(?:in|on|up|off|out|over)-[a-z]+\b",
                  " ", text, flags=re.IGNORECASE)
    m = re.match(r"\s*([A-Za-z]+)\b(?:\s+([A-Za-z]+))?", text)
    if m and (m.group(1).lower() in _CTA or (m.group(2) or "").lower() in _LEAD_OBJECT):
        text = text[m.end(1):]  # an imperative: "Book flights", "Control every lamp"
    return text


_CAP = re.compile(r"(?<![.!?:;…]\s)(?<!^)(?<![\"“‘(\[])\b[A-Z][a-z]+(?:['’]s)?\b")


def drop_proper_names(text: str, keep: frozenset[str] = frozenset()) -> str:
    """Capitalised words inside a sentence ("Apple Watch", "Berlin") blanked: brands and places
    are no pictures. Kept: Title Case headlines, sentence starts, and words in `keep`
    ("Christmas")."""
    words = re.findall(r"[A-Za-z]+", text)
    if len(words) >= 2 and sum(w[0].isupper() for w in words) / len(words) >= 0.75:
        return text  # a headline in Title Case
    return _CAP.sub(lambda m: m.group(0) if lemma(m.group(0)).lower() in keep
                    or m.group(0).lower() in keep else " ", text.strip())


def is_content(word: str) -> bool:
    """True when an English word may name a picture: not a stop word, weak ad word or number."""
    if len(word) < 2 or word[0].isdigit():
        return False
    low = lemma(word)
    return not ({word, low} & STOP or {word, low} & WEAK)


def chinese_text(text: str) -> str:
    """The Chinese part of `text`, with filler words blanked out (other characters become spaces)."""
    out = "".join(ch if _CJK.match(ch) else " " for ch in text)
    for word in WEAK_ZH:
        out = out.replace(word, " " * len(word))
    return out
