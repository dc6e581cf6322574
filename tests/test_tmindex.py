"""The translation memory's index on disk can only save time: it never changes what is pre-filled.

The reference is the memory compared with every query exhaustively (rapidfuzz over all units).
A query that is a one-word edit of a remembered sentence must be found exactly as the reference
finds it, whether the index is built, read back, partly stale (edited, reverted, removed,
renamed or added catalogs), damaged, or written by another process with another hash seed.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from polyleaf.catalog import fuzzy
from polyleaf.catalog.fuzzy import SHARE_MISSING, shingles
from polyleaf.catalog.memory import TM_CUTOFF, Memory, Unit
from polyleaf.catalog.tmindex import dump, load, open_index, runs_of

WORDS = ("pain", "neck", "rest", "walk", "sleep", "doctor", "tablet", "water", "heat", "ice",
         "back", "head", "ache", "stiff", "daily", "gentle", "stretch", "posture", "desk", "call")


def _sentence(rng: random.Random, low: int = 4, high: int = 24) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high))).capitalize() + "."


def _edit(rng: random.Random, text: str) -> str:
    words = text.split()
    words[rng.randrange(len(words))] = rng.choice(("kettle", "umbrella", "zzz", "x"))
    return " ".join(words)


def reference(units: list[Unit], query: str) -> tuple[Unit, float] | None:
    """Exhaustive: exact first, else the best ratio >= cutoff, the first unit winning a tie."""
    live = [u for u in units if u.source and u.target]
    for unit in live:
        if unit.source == query:
            return unit, 100.0
    best: tuple[Unit, float] | None = None
    for unit in live:
        score = fuzz.ratio(query, unit.source, score_cutoff=TM_CUTOFF)
        if score and (best is None or score > best[1]):
            best = unit, score
    return best


def _memory(seed: int, catalogs: int = 4, size: int = 40) -> list[Unit]:
    rng = random.Random(seed)
    return [Unit(_sentence(rng), f"T{c}-{n}", f"c{c}.po")
            for c in range(catalogs) for n in range(size)]


def _queries(units: list[Unit], seed: int) -> list[str]:
    rng = random.Random(seed)
    picked = rng.sample(units, min(30, len(units)))
    return [_edit(rng, u.source) for u in picked] + [_sentence(rng) for _ in range(10)] \
        + [picked[0].source]


def _same_as_reference(memory: Memory, units: list[Unit], queries: list[str]) -> None:
    found = memory.best(queries)
    for query in queries:
        want = reference(units, query)
        got = found.get(query)
        if want is None or got is None:
            assert got is None or got[1] >= TM_CUTOFF, query
            # a miss only where no unit shares half of the query's shingles (not for an edit)
            continue
        assert got[1] == pytest.approx(want[1]), query
        assert got[0].source == want[0].source or got[1] == want[1], query


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000))
def test_one_word_edits_are_found_as_by_comparing_everything(seed: int) -> None:
    units = _memory(seed)
    rng = random.Random(seed + 1)
    for unit in rng.sample(units, 20):
        query = _edit(rng, unit.source)
        want = reference(units, query)
        got = Memory(units).lookup(query)
        assert (got is None) == (want is None), query
        if got is not None and want is not None:
            assert got == (want[0], pytest.approx(want[1])), query


def test_the_cached_index_gives_the_results_of_a_fresh_one_through_every_change(
        tmp_path: Path) -> None:
    cache = tmp_path / "tm"
    units = _memory(1)
    queries = _queries(units, 2)
    expected = Memory(units).best(queries)
    assert Memory(units, cache).best(queries) == expected  # built and saved
    assert Memory(units, cache).best(queries) == expected  # read back
    rng = random.Random(3)
    edited = [Unit(_edit(rng, u.source), u.target, u.origin) if u.origin == "c1.po" else u
              for u in units]
    renamed = [Unit(u.source, u.target, "moved.po" if u.origin == "c2.po" else u.origin)
               for u in units]
    added = units + [Unit(q, "NEW", "new.po") for q in queries[:5]]
    removed = [u for u in units if u.origin != "c0.po"]
    for changed in (edited, units, renamed, added, removed, units, added[:0] + units[:3]):
        fresh = Memory(changed).best(queries)
        assert Memory(changed, cache).best(queries) == fresh
        assert Memory(changed, cache).best(queries) == fresh
        _same_as_reference(Memory(changed, cache), changed, queries)
    assert len(list(cache.glob("*.idx"))) <= 2  # the base and at most one delta


def test_a_catalog_edited_after_indexing_cannot_hide_its_new_text(tmp_path: Path) -> None:
    cache = tmp_path / "tm"
    units = _memory(5)
    Memory(units, cache).best(["warm the cache"])
    fresh = "Hold a warm towel against your stiff neck for ten minutes twice a day."
    changed = [Unit(fresh, "NEW", u.origin) if n == 7 else u for n, u in enumerate(units)]
    query = fresh.replace("ten", "fifteen")
    found = Memory(changed, cache).lookup(query)
    assert found is not None and found[0].target == "NEW"
    # and reverted: the old text is back, the new one gone
    assert Memory(units, cache).lookup(query) is None or \
        Memory(units, cache).lookup(query) == Memory(units).lookup(query)


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty", "garbage"])
def test_a_damaged_index_file_is_rebuilt_and_changes_nothing(tmp_path: Path, damage: str) -> None:
    cache = tmp_path / "tm"
    units = _memory(7)
    queries = _queries(units, 8)
    expected = Memory(units).best(queries)
    Memory(units, cache).best(queries)
    (path,) = cache.glob("*.idx")
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[:len(data) // 2]
    elif damage == "flip":
        data[-9] ^= 0x40
    elif damage == "empty":
        data = bytearray()
    else:
        data = bytearray(os.urandom(len(data)))
    path.write_bytes(bytes(data))
    assert load(bytes(data)) is None
    assert Memory(units, cache).best(queries) == expected
    assert load(path.read_bytes()) is not None  # rebuilt


def test_the_index_file_is_the_same_bytes_in_every_process(tmp_path: Path) -> None:
    script = ("import sys; from pathlib import Path; sys.path.insert(0, 'tests');"
              "from test_tmindex import _memory; from polyleaf.catalog.memory import Memory;"
              "Memory(_memory(11), Path(sys.argv[1])).best(['a query that is new'])")
    files = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(out)], check=True, env=env,
                       cwd=Path(__file__).parent.parent)
        (path,) = out.glob("*.idx")
        files.append(path.read_bytes())
    assert files[0] == files[1]


def test_a_segment_survives_dump_and_load() -> None:
    units = _memory(13, catalogs=2)
    groups = [("c0.po", [u.source for u in units[:40]]), ("c1.po", [u.source for u in units[40:]])]
    index = open_index(runs_of(groups, TM_CUTOFF), TM_CUTOFF, None)
    (segment,) = index.segments
    assert load(dump(segment)) == segment


def test_huge_units_and_queries_cost_linear_time() -> None:
    def cost(size: int) -> float:
        text = " ".join(WORDS[n % len(WORDS)] + str(n % 97) for n in range(size // 8))
        units = [Unit(text, "T", "a.po"), Unit("short", "S", "a.po")]
        start = time.process_time()
        Memory(units).best([text[: len(text) // 2] + " changed", "shorter",
                            text.replace(" ", " x ", 1), text[1:]])
        return time.process_time() - start

    small, large = min(cost(100_000) for _ in range(2)), min(cost(1_000_000) for _ in range(2))
    assert large < 25 * max(small, 0.01)


def test_a_source_remembered_twice_gives_its_first_translation() -> None:
    text = "Rest your back for a day and then walk a little more each day."
    units = [Unit("Something else entirely, about kettles.", "K", "a.po"),
             Unit(text, "FIRST", "a.po"), Unit(text, "SECOND", "b.po")]
    near = text.replace("little", "bit")
    assert Memory(units).lookup(text) == (units[1], 100.0)
    found = Memory(units).lookup(near)
    assert found is not None and found[0].target == "FIRST"


def test_scattered_edits_are_found_as_by_comparing_everything() -> None:
    """Up to a fifth of the words replaced anywhere in 10-60-word sentences (each edit removes at
    most four of the query's shingles, so at least half are left): every match the exhaustive
    comparison finds (score >= cutoff) is found, with its score."""
    rng = random.Random(4)
    vocabulary = [f"{a}{b}" for a in ("pa", "ne", "ro", "ti", "su", "ka") for b in "aeiouxyz"]
    units = [Unit(" ".join(rng.choice(vocabulary[: 8 + n % 40]) for _ in range(rng.randint(10, 60))),
                  f"T{n}", "m.po") for n in range(1500)]

    def edit(text: str) -> str:
        words = text.split()
        for _ in range(rng.randint(1, max(1, len(words) // 5))):
            words[rng.randrange(len(words))] = rng.choice(vocabulary)
        return " ".join(words)

    queries = [edit(rng.choice(units).source) for _ in range(300)]
    found = Memory(units).best(queries)
    matched = 0
    for query in queries:
        want = reference(units, query)
        if want is not None:
            matched += 1
            assert query in found and found[query][1] == pytest.approx(want[1]), query
    assert matched > 150  # the corpus does exercise the cutoff


def test_a_tmx_read_through_the_cache_is_the_file_as_it_is_now(tmp_path: Path) -> None:
    from polyleaf.catalog.tmx import read_pairs, write_tmx

    cache = tmp_path / "cache"
    path = tmp_path / "memory.tmx"

    def write(target: str) -> None:
        path.write_bytes(write_tmx("en", {"Rest your back.": {"de": target},
                                          "Drink water.": {"de": "Trinken Sie Wasser."}}, "t"))

    write("Schonen Sie den Rücken.")
    plain = read_pairs(path, "memory.tmx", "de", "en")
    assert ("Rest your back.", "Schonen Sie den Rücken.") in plain
    assert read_pairs(path, "memory.tmx", "de", "en", cache) == plain  # read, kept
    assert read_pairs(path, "memory.tmx", "de", "en", cache) == plain  # read back
    write("Schonen Sie Ihren Rücken!")  # another translation: the cache cannot answer for it
    changed = read_pairs(path, "memory.tmx", "de", "en", cache)
    assert changed == read_pairs(path, "memory.tmx", "de", "en") != plain
    assert read_pairs(path, "memory.tmx", "fr", "en", cache) == []  # another language
    assert read_pairs(path, "memory.tmx", "de", "en", cache) == changed
    (stored,) = cache.glob("tmx-*.units")
    stored.write_bytes(stored.read_bytes()[:-3])  # damaged: read from the TMX again
    assert read_pairs(path, "memory.tmx", "de", "en", cache) == changed


def test_a_tmx_import_leaves_the_index_ready_for_the_next_update(tmp_path: Path) -> None:
    from polyleaf.catalog.files import update
    from polyleaf.catalog.memory import TM_CACHE
    from polyleaf.catalog.tmx import write_tmx
    from polyleaf.tools.memory import import_tmx

    from .test_gates import make_project

    config = make_project(tmp_path / "p")
    agency = tmp_path / "agency.tmx"
    agency.write_bytes(write_tmx("en", {"Drink a glass of water with every meal.":
                                        {"de": "Trinken Sie zu jeder Mahlzeit ein Glas Wasser."}},
                                 "t"))
    import_tmx(config, agency)
    cache = config.build_dir / TM_CACHE / "de"
    ready = {p.name: p.read_bytes() for p in cache.iterdir()}
    assert any(name.endswith(".idx") for name in ready) and \
        any(name.endswith(".units") for name in ready)
    source = config.source_dir / "rest.md"
    source.write_text(source.read_text(encoding="utf-8") +
                      "\nDrink a glass of water with each meal.\n", encoding="utf-8")
    update(config)
    assert {p.name: p.read_bytes() for p in cache.iterdir()} == ready  # nothing built again
    po = (config.locales_dir / "de" / "LC_MESSAGES" / "rest.po").read_text(encoding="utf-8")
    assert "Trinken Sie zu jeder Mahlzeit ein Glas Wasser." in po


def test_a_memory_of_runs_is_the_memory_of_its_units() -> None:
    units = _memory(17, catalogs=3, size=30)
    units[5] = Unit("", "no source", units[5].origin)  # neither kind of memory keeps these
    units[40] = Unit("no target", "", units[40].origin)
    runs = [(origin, [(u.source, u.target) for u in units if u.origin == origin])
            for origin in ("c0.po", "c1.po", "c2.po")]
    queries = _queries([u for u in units if u.source and u.target], 18)
    assert Memory.of_runs(runs).best(queries) == Memory(units).best(queries)
    assert Memory.of_runs(runs).units == [u for u in units if u.source and u.target]
    assert len(Memory.of_runs(runs)) == len(units) - 2


def test_unit_numbers_take_16_bits_up_to_65536_units_and_32_beyond() -> None:
    from array import array

    from polyleaf.catalog.tmindex import Origin, Segment

    for typecode, top in (("H", 0xFFFF), ("I", 0x10000)):
        segment = Segment((Origin("a.po", "d" * 64, 0, top + 1),), array("I", [5, 9]),
                          array("I", [0, 2, 3]), array(typecode, [0, top, 7]))
        assert load(dump(segment)) == segment
    small = open_index(runs_of([("a.po", ["one two three", "four five six"])], TM_CUTOFF),
                       TM_CUTOFF, None)
    assert small.segments[0].units.typecode == "H"


def _aa_is_bb(unit: str) -> int:
    """CRC-32, except that ``aa`` shares the key of ``bb``: one collision, placed on purpose."""
    return zlib.crc32(("bb" if unit == "aa" else unit).encode("utf-8", "surrogatepass"))


PAIR_WORDS = st.lists(st.sampled_from(["aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh"]),
                      min_size=14, max_size=30)


@settings(max_examples=300, deadline=None)
@example(query=["aa"] * 10 + ["cc", "aa", "aa", "bb"], others=[["aa"] * 13 + ["bb"]])
@given(query=PAIR_WORDS, others=st.lists(PAIR_WORDS, min_size=1, max_size=12))
def test_a_key_collision_inside_a_query_loses_no_near_unit(query: list[str],
                                                           others: list[list[str]]) -> None:
    """A query holding ``aa`` and ``bb`` (one key) has a key fewer than it has shingles: the
    lookup's slack is still a share of the shingles, so every unit lacking at most that share
    of them is a candidate (counting keys instead fails this test)."""
    text = " ".join(query)
    sources = [" ".join(o) for o in others]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fuzzy, "unit_key", _aa_is_bb)
        index = open_index(runs_of([("c.po", sources)], TM_CUTOFF), TM_CUTOFF, None)
        found = set(index.candidates_of([text])[0])
    own = shingles(text)
    for number, source in enumerate(sources):
        if len(own - shingles(source)) <= int(SHARE_MISSING * len(own)):
            assert number in found, (text, source)
