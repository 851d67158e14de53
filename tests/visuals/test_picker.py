"""The picture picker: labelled precision, determinism, no repeats, product names, lists, search."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelterm.engine.planner.picker import pick_many, pick_pictures, search_pictures
from reelterm.media.visuals import library

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
LABEL_FILES = ("picker_labels.jsonl", "picker_holdout.jsonl", "picker_holdout2.jsonl",
               "picker_holdout3.jsonl", "picker_holdout4.jsonl", "picker_holdout5.jsonl",
               "picker_holdout6.jsonl", "picker_holdout7.jsonl")
# picker_labels: the labelled set the picker was developed on (>= 90% right);
# picker_holdout: written before its first run, then used for a second round of general fixes;
# picker_holdout2 and 3: written later, each run once before a last round of general fixes
# (first runs: 65% and 72% right); picker_holdout4 was 83% right on its first run; picker_holdout5,
# was scored once and never tuned on (88% right); picker_holdout6 (with polysemous words) was 73%
# right on its first run, then general rules (sense checks, negation, verb use) were added;
# picker_holdout7 (96, 18 categories) was 73% right on its first run, then plural forms (taxis,
# tomatoes) and a product-noun vocabulary (_pick_more.py) were added.
FLOORS = {"picker_labels.jsonl": (0.90, 0.06), "picker_holdout.jsonl": (0.85, 0.08),
          "picker_holdout2.jsonl": (0.75, 0.15), "picker_holdout3.jsonl": (0.75, 0.15),
          "picker_holdout4.jsonl": (0.80, 0.10), "picker_holdout5.jsonl": (0.85, 0.10),
          "picker_holdout6.jsonl": (0.75, 0.12), "picker_holdout7.jsonl": (0.80, 0.12)}


def rows(name: str) -> list[dict]:
    return [json.loads(line) for line in (HERE / name).read_text(encoding="utf-8").splitlines() if line.strip()]


def acceptable(row: dict) -> set[str]:
    """The labelled pictures, plus pictures of sets added later that a person judged right."""
    said = {f"{v['text']}\0{v['ref']}" for v in rows("picker_newer_sets.jsonl") if v["right"]}
    late = {ref for key in said if key.startswith(row["text"] + "\0") for ref in [key.split("\0")[1]]}
    return {f"icon:fluent-ui/{o[3:]}" if o.startswith("ui/") else f"icon:fluent/{o}" for o in row["ok"]} | late


def test_label_files_are_big_enough_bilingual_and_name_real_pictures() -> None:
    every = [r for name in LABEL_FILES for r in rows(name)]
    assert len(rows("picker_labels.jsonl")) >= 150
    assert sum(1 for r in every if any("\u4e00" <= ch <= "\u9fff" for ch in r["text"])) >= 50
    assert sum(1 for r in every if not r["ok"]) >= 30
    assert len({r["cat"] for r in every}) >= 15
    known = {p.ref for p in library().all()}
    named = {ref for r in every for ref in acceptable(r)}
    assert len(named & known) / len(named) > 0.95  # labels point at pictures that exist


@pytest.mark.parametrize("name", LABEL_FILES)
def test_picker_is_right_at_least_90_percent_and_none_means_a_motif(name: str) -> None:
    data = rows(name)
    right, wrong_literal = 0, []
    for row in data:
        got = pick_pictures([row["text"]], names=row.get("names", ()))[0]
        ok = acceptable(row)
        if not ok:
            if name == "picker_labels.jsonl":  # every "none" of the main set gets a motif
                assert got is None, f"{row['text']!r} should get a motif, got {got}"
            right += got is None
            if got is not None:
                wrong_literal.append((row["text"], got))
        elif got in ok:
            right += 1
        elif got is not None:
            wrong_literal.append((row["text"], got))
    share = right / len(data)
    floor, wrong_most = FLOORS[name]
    assert share >= floor, f"{share:.1%} right; wrong pictures: {wrong_literal}"
    assert len(wrong_literal) / len(data) <= wrong_most, wrong_literal  # misses are mostly motifs


def test_main_name_counts_above_tags_and_tags_above_synonyms() -> None:
    from reelterm.engine.planner._pick_index import index

    words = index().words
    assert words["cat"]["icon:fluent/cat"][0] > words["cat"]["icon:fluent/black-cat"][0]  # name > tag
    assert words["coffee"]["icon:fluent/hot-beverage"][0] > words["latte"]["icon:fluent/hot-beverage"][0]
    assert pick_pictures(["A cat nap."]) == ["icon:fluent/cat"]


def test_every_synonym_points_at_a_bundled_picture() -> None:
    from reelterm.engine.planner._pick_words import EN, PHRASES, ZH, ZH_TRADITIONAL

    known = {p.ref for p in library().all()}
    refs = {f"icon:fluent-ui/{i[3:]}" if i.startswith("ui/") else f"icon:fluent/{i}"
            for table in (EN, ZH, ZH_TRADITIONAL, PHRASES) for ids in table.values() for i in ids}
    assert sorted(refs - known) == []


def test_picks_are_deterministic_across_processes() -> None:
    texts = [r["text"] for r in rows("picker_labels.jsonl")][:80]
    code = ("import json,sys; from reelterm.engine.planner.picker import pick_pictures; "
            "print(json.dumps(pick_pictures(json.loads(sys.stdin.read()))))")
    outs = []
    for seed in ("1", "977"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
        done = subprocess.run([sys.executable, "-c", code], input=json.dumps(texts), capture_output=True,
                              text=True, env=env, timeout=120)
        assert done.returncode == 0, done.stderr
        outs.append(json.loads(done.stdout))
    assert outs[0] == outs[1] == pick_pictures(texts)


def test_no_subject_twice_in_one_video_and_avoid_is_respected() -> None:
    texts = ["Fresh coffee every morning.", "Coffee, roasted in Berlin.", "A coffee for every mood.",
             "Runners love it.", "Built for runners.", "Run further."]
    got = pick_pictures(texts)
    refs = [r for r in got if r]
    assert len(refs) == len(set(refs))
    subjects = [r.rsplit("/", 1)[1].removeprefix("man-").removeprefix("woman-").removeprefix("person-")
                for r in refs]
    assert len(subjects) == len(set(subjects))
    assert got[0] == "icon:fluent/hot-beverage"
    again = pick_pictures(["Fresh coffee every morning."], avoid=["icon:fluent/hot-beverage"])
    assert again[0] != "icon:fluent/hot-beverage"
    twin = pick_pictures(["Fresh coffee every morning."], avoid=["icon:fluent-flat/hot-beverage"])
    assert twin[0] != "icon:fluent/hot-beverage"  # the same subject in another look counts too


@pytest.mark.parametrize("name", ["Brewlab", "Catfish", "Rocketly", "Sunbeam", "Applebee", "Pawfect",
                                  "Coinbird", "Bakeright", "Teslabs", "Doggo Box"])
def test_made_up_names_never_pick_from_a_fragment(name: str) -> None:
    for text in (f"{name}.", f"Meet {name}.", f"{name} is here.", f"Say hello to {name}!"):
        assert pick_pictures([text], names=[name]) == [None], text
    assert pick_pictures([f"{name.split()[0]}."]) == [None]  # whole words only, even unnamed


def test_a_name_hides_its_words_but_not_the_rest_of_the_sentence() -> None:
    assert pick_pictures(["Rocketly launches your rocket."], names=["Rocketly"]) == ["icon:fluent/rocket"]
    assert pick_pictures(["Brewlab weighs every bean."], names=["Brewlab"])[0] in {
        "icon:fluent/beans", "icon:fluent/balance-scale"}
    assert pick_pictures(["Catfish Analytics is here."], names=["Catfish Analytics"]) == [None]
    assert pick_pictures(["星巴克，一直都在。"], names=["星巴克"]) == [None]  # a CLDR tag of hot beverage


def test_brands_places_and_verbs_are_not_read_as_things() -> None:
    got = pick_pictures(["Sync your runs with Apple Health.", "We ship from Orange County.",
                         "Now on the App Store and Google Play.", "Print in 3D at home.",
                         "Designed in-house, built to last."])
    assert "icon:fluent/red-apple" not in got and "icon:fluent/tangerine" not in got
    assert got[1:] == [None, None, None, None]
    assert pick_pictures(["Apple pie, baked daily."])[0] == "icon:fluent/pie"  # a sentence start
    assert pick_pictures(["A Christmas market in the old town."])[0] == "icon:fluent/christmas-tree"


@pytest.mark.parametrize("slogan", ["专注品质二十年。", "心动不如行动。", "让生活更美好。", "为热爱而生。",
                                    "做更好的自己。", "The journey starts now.", "Dream big, start small.",
                                    "We've got your back.", "It's time to level up.", "Hello, future."])
def test_slogans_get_a_motif(slogan: str) -> None:
    assert pick_pictures([slogan]) == [None]


def test_figures_of_speech_are_not_pictures() -> None:
    for text in ("The key to success is routine.", "Made with heart in Lisbon.", "Peace of mind, built in.",
                 "Opens doors for young people.", "The best in the world at what we do.", "Our north star."):
        assert pick_pictures([text]) == [None], text
    assert pick_pictures(["Keys to your new home in 30 days."]) == ["icon:fluent/key"]


def test_traditional_chinese_finds_the_emoji_words() -> None:
    assert pick_pictures(["每天早上來一杯香濃的咖啡。", "生日蛋糕可提前一天預訂。"]) == [
        "icon:fluent/hot-beverage", "icon:fluent/birthday-cake"]
    assert search_pictures("熱飲")[0] == "icon:fluent/hot-beverage"  # the Traditional name
    assert pick_pictures(["新鮮出爐的麵包，每天早上七點。"]) == ["icon:fluent/bread"]  # a synonym, converted


def test_pick_many_gives_distinct_pictures_for_list_items_in_order() -> None:
    assert pick_many("Cats, dogs and rabbits welcome.", 3) == [
        "icon:fluent/cat", "icon:fluent/dog", "icon:fluent/rabbit"]
    got = pick_many("Flights, hotels and car rentals in one app.", 3)
    assert len(got) == 3 and len(set(got)) == 3
    assert got[0] == "icon:fluent/airplane"
    assert pick_many("支持猫、狗和兔子。", 3) == ["icon:fluent/cat", "icon:fluent/dog", "icon:fluent/rabbit"]
    assert pick_many("It just works.", 3) == []
    assert len(pick_many("Coffee, tea, juice, cake and cookies.", 2)) == 2


def test_search_for_chat_edits_in_english_and_chinese() -> None:
    assert search_pictures("rocket")[0] == "icon:fluent/rocket"
    assert search_pictures("火箭")[0] == "icon:fluent/rocket"
    assert search_pictures("a cup of coffee")[0] == "icon:fluent/hot-beverage"
    assert search_pictures("icon:fluent-ui/calendar") == ["icon:fluent-ui/calendar"]
    assert search_pictures("hot-beverage")[0] == "icon:fluent/hot-beverage"
    assert search_pictures("lock")[0] == "icon:fluent/locked"  # a verb in a sentence, a thing here
    assert search_pictures("Apple")[0] == "icon:fluent/red-apple"  # a brand in a sentence, a fruit here
    assert search_pictures("a happy face")[0].startswith("icon:fluent/")  # every word, loosely
    assert "face" in search_pictures("a happy face")[0]
    assert search_pictures("xqzzv blorp") == []
    assert len(search_pictures("dog", limit=3)) <= 3
    assert search_pictures("", limit=3) == []


def test_picking_ten_scenes_is_fast_once_loaded() -> None:
    pick_pictures(["warm up"])
    texts = [r["text"] for r in rows("picker_labels.jsonl")][:10]
    start = time.perf_counter()
    pick_pictures(texts)
    assert time.perf_counter() - start < 0.25


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(max_size=120), max_size=6), st.lists(st.text(max_size=20), max_size=3))
def test_any_text_gives_valid_distinct_refs_or_none(texts: list[str], names: list[str]) -> None:
    got = pick_pictures(texts, names=names)
    assert len(got) == len(texts)
    refs = [r for r in got if r is not None]
    assert len(refs) == len(set(refs))
    assert all(library().get(r) is not None for r in refs)
    for text in texts[:2]:
        assert len(pick_many(text, 3, names=names)) <= 3
        assert all(library().get(r) is not None for r in search_pictures(text, limit=2))


def test_score_script_prints_categories_and_misses() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "scripts/picker_score.py"),
                           str(HERE / "picker_holdout5.jsonl")], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "src")})
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("saas ") and "%" in line for line in lines)
    assert any(line.startswith("all ") for line in lines)
    assert any(line.startswith("MISS [") for line in lines) == ("MISS" in done.stdout)


@pytest.mark.parametrize(("text", "wrong"), [
    ("A waterproof shell that packs into its own pocket.", "spiral-shell"),
    ("The phone case has a hard shell and a soft lining.", "spiral-shell"),
    ("A mouse so quiet you can click at midnight.", "mouse"),
    ("A bat that hits harder, for baseball players.", "bat"),
    ("Cheap flights to Bangkok this spring.", "hot-springs"),
    ("Two-bedroom flats with a view of the river.", "flat-shoe"),
    ("Our web app runs in any browser.", "spider-web"),
    ("Ski passes for every resort in the Alps.", "beach-with-umbrella"),
    ("The built-in power bank holds two full charges.", "bank"),
])
def test_a_word_in_another_sense_does_not_pick_the_picture(text: str, wrong: str) -> None:
    assert pick_pictures([text])[0] != f"icon:fluent/{wrong}"


def test_a_fan_that_blows_is_not_a_fan_who_cheers() -> None:
    assert pick_pictures(["A quiet fan lets you sleep through the night."])[0] != "icon:fluent-ui/person-heart"
    assert pick_pictures(["The built-in power bank holds two full charges."]) == ["icon:fluent/battery"]
    assert pick_pictures(["A keep-warm base keeps water hot for two hours."])[0] != "icon:fluent-ui/book-database"
    assert pick_pictures(["Answers to every question in our knowledge base."]) == ["icon:fluent-ui/book-database"]


def test_the_drawn_sense_still_picks_the_picture() -> None:
    assert pick_pictures(["Hand-picked shells from the seaside."])[0] == "icon:fluent/spiral-shell"
    assert "icon:fluent/mouse" in pick_pictures(["Our cat toy mouse squeaks."])[0:1] + \
        pick_many("Our cat toy mouse squeaks.", 3)
    assert pick_pictures(["Soak in the hot springs after a long hike."])[0] == "icon:fluent/hot-springs"


def test_denied_and_verb_uses_are_not_things() -> None:
    assert pick_pictures(["猫咪自动喂食器，出差也不担心。"])[0] != "icon:fluent/worried-face"
    assert pick_pictures(["Round up every purchase and save the change."])[0] != "icon:fluent/round-pushpin"
    assert pick_pictures(["Starfield Labs is hiring."], names=["Starfield Labs"]) == [None]
    assert pick_pictures(["No sugar, no worries."]) == [None]
