"""Traditional-Chinese instruction words read as their simplified forms ("直式影片" -> "竖屏视频").

Only the words people use to ask for an edit are mapped, and only outside quoted text and the text
after a colon, so the user's own words to film stay exactly as they wrote them.
"""

from __future__ import annotations

import re

from reelterm.engine.agent.studio.intents import QUOTES, after_colon

WORDS: dict[str, str] = {
    # making a video
    "影片": "视频", "視頻": "视频", "視訊": "视频", "短影音": "短视频", "宣傳": "宣传", "廣告": "广告", "製作": "制作",
    "幫我": "帮我", "幫忙": "帮忙", "請": "请", "做一個": "做一个", "一個": "一个", "一條": "一条", "這段": "这段",
    "這個": "这个", "這篇": "这篇", "這些": "这些", "關於": "关于", "我們": "我们", "給": "给", "為": "为", "讓": "让",
    "變成": "变成", "轉成": "转成", "轉換": "转换", "轉為": "转为", "產生": "生成", "文案如下": "文案如下",
    # canvas and length
    "直式": "竖屏", "直版": "竖屏", "豎屏": "竖屏", "豎版": "竖版", "橫式": "横屏", "橫屏": "横屏", "橫版": "横版",
    "正方形": "正方形", "解析度": "分辨率", "風格": "风格", "畫幅": "画幅", "畫質": "画质", "時長": "时长", "長度": "长度", "秒鐘": "秒钟", "分鐘": "分钟",
    "長一點": "长一点", "短一點": "短一点", "縮短": "缩短", "剪掉": "剪掉", "刪除": "删除", "刪掉": "删掉", "保留": "保留",
    # sound
    "背景音樂": "背景音乐", "輕音樂": "轻音乐", "音樂": "音乐", "配樂": "配乐", "聲音": "声音", "大聲": "大声", "小聲": "小声",
    "靜音": "静音", "音量": "音量", "調低": "调低", "調高": "调高", "調到": "调到", "調小": "调小", "調大": "调大",
    "調成": "调成", "歡快": "欢快", "輕鬆": "轻松", "懷舊": "怀旧", "溫柔": "温柔", "溫馨": "温馨", "動感": "动感",
    "舒緩": "舒缓", "換成": "换成", "換一首": "换一首", "換": "换", "點": "点", "聽不到": "听不到", "聽不清": "听不清",
    "太吵": "太吵", "配音": "配音", "語速": "语速", "旁白": "旁白",
    # pictures, scenes, text
    "場景": "场景", "鏡頭": "镜头", "畫面": "画面", "轉場": "转场", "過渡": "过渡", "標題": "标题", "圖示": "图标",
    "圖標": "图标", "圖片": "图片", "配圖": "配图", "插圖": "插图", "圖": "图", "背景顏色": "背景颜色", "顏色": "颜色",
    "藍色": "蓝色", "綠色": "绿色", "紅色": "红色", "紫色": "紫色", "黃色": "黄色", "淡入淡出": "淡入淡出",
    "第一個": "第一个", "第二個": "第二个", "第三個": "第三个", "最後一個": "最后一个", "個": "个", "後": "后",
    # export and history
    "匯出": "导出", "導出": "导出", "輸出": "输出", "儲存為": "保存为", "存成": "保存为", "下載": "下载", "檔案": "文件",
    "檔": "文件", "動圖": "动图", "封面": "封面", "復原": "撤销", "撤銷": "撤销", "還原": "撤销", "取消復原": "重做",
    "幫助": "帮助", "狀態": "状态", "軌道": "轨道", "時間線": "时间线",
}
_WORD = re.compile("|".join(sorted((re.escape(w) for w in WORDS if WORDS[w] != w), key=len, reverse=True)))
_TRADITIONAL = frozenset("".join(w for w in WORDS if WORDS[w] != w)) - frozenset("".join(WORDS.values()))
"""Characters that only occur in the traditional forms: a message without any is left alone."""


_LABEL = re.compile(r"^(\s*)(標題|時長|長度|平台|格式|尺寸|要求|配樂|音樂|風格|比例|畫幅|解析度)(\s*[:：])", re.MULTILINE)
"""A labelled brief's field names at line starts ("時長：15秒"), wherever the colon text begins."""


def simplify_instruction(message: str) -> str:
    """`message` with traditional instruction words simplified, outside quotes and colon text."""
    if not any(ch in _TRADITIONAL for ch in message):
        return message
    message = _LABEL.sub(lambda m: m.group(1) + WORDS.get(m.group(2), m.group(2)) + m.group(3), message)
    colon = after_colon(message)
    head, tail = (message[: len(message) - len(colon)], colon) if colon else (message, "")
    out, last = [], 0
    for m in QUOTES.finditer(head):
        out.append(_WORD.sub(lambda w: WORDS[w.group(0)], head[last:m.start()]))
        out.append(m.group(0))
        last = m.end()
    out.append(_WORD.sub(lambda w: WORDS[w.group(0)], head[last:]))
    return "".join(out) + tail
