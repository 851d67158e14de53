"""The language of the worker's own chat lines: chosen per turn, with a Chinese form for each line."""

from __future__ import annotations

import re
from dataclasses import dataclass

ZH_LINES: dict[str, str] = {
    # turns and tool progress
    "Working: {tool}…": "正在{tool}…",
    "Working: {tool} ({hint})…": "正在{tool}（{hint}）…",
    "{tool} done.": "{tool}完成。",
    "{tool} done: {detail}": "{tool}完成：{detail}",
    "{tool} failed.": "{tool}失败。",
    "{tool} failed: {detail}": "{tool}失败：{detail}",
    "Still working…": "仍在处理…",
    # turn_flow
    "The agent finished without a reply, and the timeline did not change.": "智能体没有回复就结束了，时间线也没有变化。",
    "The agent could not finish: {error}": "智能体没能完成：{error}",
    "Try again, or put the request differently.": "请重试，或换一种说法提出请求。",
    "The agent reported a problem: {error}": "智能体报告了一个问题：{error}",
    "The agent finished without a reply, and the timeline could not be fetched to see what changed.":
        "智能体没有回复就结束了，而且无法获取时间线来查看有什么变化。",
    "The agent asked for the subtitles: exporting them now.": "智能体要求导出字幕：正在导出。",
    "The agent asked for the video: exporting it now.": "智能体要求导出视频：正在导出。",
    "The connection dropped while the agent was working. reelterm will not send the message again; "
    "it is watching the timeline instead.": "智能体工作时连接断开了。reelterm 不会重发这条消息，而是在观察时间线的变化。",
    "The timeline changed.": "时间线有改动。",
    "The agent's work arrived although the connection dropped.": "虽然连接断开了，智能体的工作结果还是到了。",
    "The connection dropped while the agent was working, and the timeline did not change.":
        "智能体工作时连接断开了，时间线也没有变化。",
    "Nothing was sent twice; send the request again if you still want it.": "没有重复发送任何内容；如果仍需要，请再发一次请求。",
    # gui_translate
    "The agent asked to use Export: reelterm is exporting the video now.": "智能体要求使用“导出”：reelterm 正在导出视频。",
    "The agent asked to open a panel: reelterm fetched the session state instead.": "智能体要求打开面板：reelterm 改为获取了会话状态。",
    "The agent asked to preview the timeline: here are the tracks.": "智能体要求预览时间线：轨道如下。",
    "The agent pointed at your credits: reelterm fetched the balance.": "智能体提到了你的积分：reelterm 已获取余额。",
    "There is no upload button here: type `upload PATH` (or pass --file) to add media.":
        "这里没有上传按钮：输入 `upload PATH`（或使用 --file）来添加素材。",
    "There is no drag and drop here: describe the edit in a message (for example \"move the title to 0:05\") "
    "and reelterm sends it to the agent.": "这里不能拖放：请用一条消息描述修改（例如“把标题移到 0:05”），reelterm 会把它发给智能体。",
    # state_cache, errors
    "This backend has no session-state route, so reelterm cannot show the timeline or what changed.":
        "这个后端没有会话状态接口，所以 reelterm 无法显示时间线或改动。",
    "The worker is not connected.": "后台还没有连接。",
    "Start it first.": "请先启动它。",
    "The worker has no session yet.": "后台还没有会话。",
    "Something went wrong inside reelterm ({kind}).": "reelterm 内部出错了（{kind}）。",
    "Please report this with the log.": "请附上日志报告这个问题。",
    "Something went wrong inside reelterm during the turn ({kind}).": "这一轮对话中 reelterm 内部出错了（{kind}）。",
    "Check the timeline before sending the request again, and please report this.":
        "再次发送请求前请先检查时间线，并请报告这个问题。",
    # exports
    "{value} is not an export format or quality.": "{value} 不是可用的导出格式或画质。",
    "Use a format such as mp4 or webm, and draft, standard or high.": "请使用 mp4 或 webm 等格式，以及 draft、standard 或 high 画质。",
    "reelterm cannot save into {folder} ({reason}).": "reelterm 无法保存到 {folder}（{reason}）。",
    "Choose another file or folder with -o.": "请用 -o 选择其他文件或文件夹。",
    "This backend cannot export: it has no session-state route.": "这个后端无法导出：它没有会话状态接口。",
    "Use the local engine or the hosted API.": "请使用本地引擎或托管 API。",
    "There is nothing to export yet: the timeline is empty.": "还没有可导出的内容：时间线是空的。",
    "Upload media or ask the agent to make a video first.": "请先上传素材，或让智能体先做一个视频。",
    "{value} is not a subtitle format.": "{value} 不是字幕格式。",
    "Use srt or vtt.": "请使用 srt 或 vtt。",
    # renders
    "Render {id}: {warning}": "渲染 {id}：{warning}",
    "The render was cancelled.": "渲染已取消。",
    "The render failed: {error}": "渲染失败：{error}",
    "The render failed.": "渲染失败。",
    "The backend no longer knows this render.": "后端已经找不到这次渲染了。",
    "The render finished but could not be downloaded: {error}": "渲染完成了，但无法下载：{error}",
    "The video could not be saved in {problem}, so it was saved in {folder} instead.":
        "视频无法保存到 {problem}，已改为保存到 {folder}。",
    "The video could not be saved in {problems}. The render is kept: make room or fix the folder, then run "
    "`reelterm renders` (or reopen the app) to download it.":
        "视频无法保存到 {problems}。渲染结果已保留：腾出空间或修好文件夹后，运行 `reelterm renders`（或重新打开应用）来下载。",
    "Check the timeline, then export again.": "请检查时间线，然后重新导出。",
    "The export is remembered: run `reelterm renders` (or reopen the app) once the backend is reachable "
    "again to finish it.": "这次导出已记下：后端恢复连接后，运行 `reelterm renders`（或重新打开应用）来完成它。",
    # worker facade, sessions, uploads, previews
    "Resuming {n} unfinished export(s).": "正在继续 {n} 个未完成的导出。",
    "Name the file to upload, e.g. `upload ~/clips/intro.mp4`, or a web address.":
        "请说明要上传的文件，例如 `upload ~/clips/intro.mp4`，或一个网址。",
    "Started a new session as asked; the last one is kept on the backend.": "已按要求开始新会话；上一个会话仍保存在后端。",
    "The last session is gone on this backend (its timeline too); started a new one.":
        "上一个会话在这个后端上已不存在（时间线也一样）；已开始新会话。",
    "There is no file at {path}.": "{path} 处没有文件。",
    "Check the path and try again.": "请检查路径后重试。",
    "Wait until it connects.": "请等它连接上。",
    "The preview took too long to render.": "预览渲染太久了。",
    "Try again, or export the video.": "请重试，或直接导出视频。",
    "The timeline is empty, so there is no frame to show.": "时间线是空的，没有可显示的画面。",
    "The preview could not be made ({kind}).": "无法生成预览（{kind}）。",
}
"""The worker's chat-facing lines in Chinese, keyed by their English template."""

TOOL_ZH: dict[str, str] = {
    "generate_video": "生成视频", "generate_image": "生成图片", "generate_music": "生成音乐",
    "set_length": "设置时长", "set_format": "设置画面格式", "set_volume": "调整音量", "add_text": "添加文字",
    "set_music": "设置音乐", "remove_music": "移除音乐", "merge_media": "合并素材", "set_transitions": "设置转场",
    "set_voice_speed": "调整语速", "remove_text": "删除文字", "set_fades": "设置淡入淡出",
    "set_caption_style": "设置字幕样式", "remove_scene": "删除场景", "split_segment": "拆分片段",
    "move_segment": "移动片段", "move_scene": "移动场景", "delete_segment": "删除片段", "trim_segment": "裁剪片段",
    "set_segment_volume": "调整片段音量", "set_narration": "设置配音", "set_segment_text": "修改片段文字",
    "add_subtitles": "添加字幕", "set_voice": "设置配音声音", "add_title": "添加标题", "add_uploads": "添加上传素材",
    "make_storyboard": "制作分镜", "render": "渲染", "export": "导出",
}
"""Known tools by name, in Chinese; other names are put together word by word (`_WORDS`) or kept."""
_WORDS: dict[str, str] = {
    "generate": "生成", "add": "添加", "set": "设置", "remove": "移除", "delete": "删除", "merge": "合并",
    "move": "移动", "split": "拆分", "trim": "裁剪", "make": "制作", "create": "创建", "update": "更新",
    "search": "搜索", "export": "导出", "render": "渲染", "apply": "应用", "list": "列出", "get": "获取",
    "video": "视频", "image": "图片", "picture": "图片", "music": "音乐", "audio": "音频", "text": "文字",
    "title": "标题", "caption": "字幕", "captions": "字幕", "subtitles": "字幕", "scene": "场景",
    "segment": "片段", "clip": "片段", "voice": "声音", "narration": "配音", "volume": "音量", "length": "时长",
    "format": "格式", "style": "样式", "transition": "转场", "transitions": "转场", "media": "素材",
    "speed": "速度", "fades": "淡入淡出", "track": "轨道", "background": "背景", "storyboard": "分镜",
}


def is_zh(lang: str) -> bool:
    """True for a Chinese language tag (`zh`, `zh-CN`, …)."""
    return lang.lower().startswith("zh")


def mostly_chinese(text: str) -> bool:
    """True when most of the letters of a text are Chinese."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum("\u4e00" <= c <= "\u9fff" for c in letters) / len(letters) > 0.3


def turn_language(message: str, reply: str = "", default: str = "en") -> str:
    """A turn's language: Chinese when the user's message or the agent's reply is mostly Chinese,
    else the session's `default`; the worker's lines and the change summary both follow it."""
    return "zh-CN" if mostly_chinese(message) or mostly_chinese(reply) else default


def tool_name(name: str, lang: str) -> str:
    """A tool's name for people: `generate video`, or `生成视频` in Chinese (`运行 NAME ` when unknown)."""
    plain = name.replace("_", " ").strip()
    if not is_zh(lang):
        return plain or "a tool"
    if name in TOOL_ZH:
        return TOOL_ZH[name]
    words = plain.lower().split()
    if not words:
        return "某个工具"
    if all(w in _WORDS for w in words):
        return "".join(_WORDS[w] for w in words)
    return f"运行 {plain} "  # an unknown tool keeps its own name: 正在运行 add sparkles …


def say(template: str, lang: str, **params: object) -> str:
    """`template` in `lang` (Chinese for `zh*`, when the table has it), filled with `params`."""
    text = ZH_LINES.get(template, template) if is_zh(lang) else template
    return text.format(**params) if params else text


def _pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{\w+\})", template)
    body = "".join(f"(?P<{p[1:-1]}>.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
    return re.compile(body + r"\Z", re.DOTALL)


_PATTERNS = [(_pattern(en), ZH_LINES[en]) for en in sorted(ZH_LINES, key=len, reverse=True) if "{tool}" not in en]
"""Filled lines back to their template, longest first; tool lines are made in their language (`say`)."""


def to_chinese(line: str) -> str:
    """An English worker line (a filled template) in Chinese; the line itself when unknown.
    Only the template's own words change: paths, ids, numbers and quoted messages stay as they are."""
    if not line:
        return line
    for pattern, zh in _PATTERNS:
        match = pattern.match(line)
        if match:
            return zh.format(**match.groupdict())
    return line


@dataclass
class ChatLanguage:
    """The language the worker speaks in the chat: the session's setting until a turn decides."""

    current: str = "en"
