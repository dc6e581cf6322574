"""Benchmark: quantity QA on a mutation corpus (detection and false-positive rates), and speed.

Corpus: every translated entry of the example catalogs (es, fr, de, ar, zh_Hans), plus the
dose sentences below (the example leaflets have few doses). Each entry that passes QA is
mutated with every harmful mutation and every legitimate rewrite of ``bench/mutations.py``
that applies; a harmful mutation is *detected* when ``qa.numbers`` or ``qa.codes`` reports an
error, a rewrite is a *false positive* when any error is reported. Goals: 100 % and 0 %.

Speed: ``polyleaf check`` on 10,000 and 20,000 entries (the example entries repeated, with
line numbers), in-process; ``--before SRC`` times the same on another tree (e.g. main's
``src``) in a subprocess. Linear time: adversarial 1 MB translations against 0.25 MB ones.

    .venv/bin/python bench/bench_quantities.py [--before /path/to/main/src] [--verbose]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOCALES = ("es", "fr", "de", "ar", "zh_Hans")
NB, NNB = "\u00a0", "\u202f"

# Dose sentences (source, {locale: translation}): doses, ranges, times, phones, codes.
DOSES: list[tuple[str, dict[str, str]]] = [
    ("Take 500 mg every 4 to 6 hours.", {
        "es": "Tome 500 mg cada 4 a 6 horas.", "fr": "Prenez 500 mg toutes les 4 à 6 heures.",
        "de": "Nehmen Sie alle 4 bis 6 Stunden 500 mg.", "ar": "تناول ٥٠٠ ملغ كل ٤ إلى ٦ ساعات.",
        "zh_Hans": "每4至6小时服用500毫克。"}),
    ("Never take more than 4000 mg in 24 hours.", {
        "es": "No tome nunca más de 4000 mg en 24 horas.",
        "fr": "Ne prenez jamais plus de 4000 mg en 24 heures.",
        "de": "Nehmen Sie nie mehr als 4000 mg in 24 Stunden.",
        "ar": "لا تتناول أكثر من ٤٠٠٠ ملغ خلال ٢٤ ساعة.", "zh_Hans": "24小时内不要超过4000毫克。"}),
    ("The daily dose is 1,200 mg, taken at 08:00.", {
        "es": "La dosis diaria es de 1200 mg, a las 08:00.",
        "fr": f"La dose quotidienne est de 1{NNB}200 mg, à 08:00.",
        "de": "Die Tagesdosis beträgt 1.200 mg, um 08:00 Uhr.",
        "ar": "الجرعة اليومية ١٬٢٠٠ ملغ، الساعة ٠٨:٠٠.", "zh_Hans": "每日剂量为1,200毫克，在08:00服用。"}),
    ("Give 2.5 ml 3 times a day for 5 days.", {
        "es": "Dé 2,5 ml 3 veces al día durante 5 días.",
        "fr": "Donnez 2,5 ml 3 fois par jour pendant 5 jours.",
        "de": "Geben Sie 5 Tage lang 3-mal täglich 2,5 ml.",
        "ar": "أعطِ ٢٫٥ مل ٣ مرات يوميًا لمدة ٥ أيام.", "zh_Hans": "每天3次，每次2.5毫升，连用5天。"}),
    ("Take 200-400 mg with food.", {
        "es": "Tome 200-400 mg con comida.", "fr": "Prenez 200-400 mg au cours d’un repas.",
        "de": "Nehmen Sie 200-400 mg zum Essen.", "ar": "تناول ٢٠٠-٤٠٠ ملغ مع الطعام.",
        "zh_Hans": "随餐服用200-400毫克。"}),
    ("Call +44 20 7946 0000 and quote `HD-2026` if your temperature is 38 °C or above.", {
        "es": "Llame al +44 20 7946 0000 e indique `HD-2026` si su temperatura es de 38 °C o más.",
        "fr": "Appelez le +44 20 7946 0000 et citez `HD-2026` si votre température atteint 38 °C.",
        "de": "Rufen Sie +44 20 7946 0000 an und nennen Sie `HD-2026`, wenn Sie 38 °C oder mehr haben.",
        "ar": "اتصل على +44 20 7946 0000 واذكر `HD-2026` إذا كانت حرارتك ٣٨ °C أو أكثر.",
        "zh_Hans": "如果体温达到38 °C或以上，请拨打+44 20 7946 0000并报`HD-2026`。"}),
    ("Rest for 15 days, then walk for 30 minutes for 3 months.", {
        "es": "Descanse 15 días y luego camine 30 minutos durante 3 meses.",
        "fr": "Reposez-vous 15 jours, puis marchez 30 minutes pendant 3 mois.",
        "de": "Ruhen Sie 15 Tage, dann gehen Sie 3 Monate lang 30 Minuten.",
        "ar": "استرح ١٥ يومًا، ثم امشِ ٣٠ دقيقة لمدة ٣ أشهر.",
        "zh_Hans": "休息15天，然后3个月内每次步行30分钟。"}),
    ("Use 12500 units of the cream at 20:00.", {
        "es": "Use 12500 unidades de la crema a las 20:00.",
        "fr": "Utilisez 12500 unités de la crème à 20:00.",
        "de": "Verwenden Sie um 20:00 Uhr 12500 Einheiten der Creme.",
        "ar": "استخدم ١٢٥٠٠ وحدة من الكريم الساعة ٢٠:٠٠.", "zh_Hans": "在20:00使用12500单位乳膏。"}),
]


def corpus(locale: str) -> list[tuple[str, str, str]]:
    """(origin, source, translation) for every translated entry of the example catalogs."""
    from polyleaf.catalog.reading import read_catalog

    found = []
    for path in sorted((REPO / "locales" / locale / "LC_MESSAGES").glob("*.po")):
        for entry in read_catalog(path, path.name).live:
            if entry.msgid_plural is None and entry.msgstr.strip() and not entry.fuzzy:
                found.append((f"{path.name}:{entry.line}", entry.msgid, entry.msgstr))
    found += [(f"doses:{i}", src, tr[locale]) for i, (src, tr) in enumerate(DOSES)]
    return found


def errors(source: str, target: str, locale: str) -> set[str]:
    from polyleaf.catalog.pofile import Entry
    from polyleaf.errors import Level
    from polyleaf.i18n import locale_info
    from polyleaf.qa.checks import check_entry

    found = check_entry(Entry(msgid=source, msgstr=target), locale_info(locale))
    return {f.code for f in found if f.level is Level.ERROR}


def rates(verbose: bool) -> list[str]:
    """Per-locale detection and false-positive rates (markdown table rows)."""
    from mutations import HARMFUL, LEGITIMATE

    rows, kinds = [], Counter[str]()
    for locale in LOCALES:
        entries = corpus(locale)
        base = [(o, s, t) for o, s, t in entries if not errors(s, t, locale)]
        caught = tried = flagged = rewrites = 0
        for origin, source, target in base:
            for name, mutate in HARMFUL.items():
                mutated = mutate(target, locale)
                if mutated is None or mutated == target:
                    continue
                tried += 1
                kinds[f"harmful {name}"] += 1
                hit = bool(errors(source, mutated, locale) & {"qa.numbers", "qa.codes"})
                caught += hit
                if not hit and verbose:
                    print(f"  MISSED {locale} {name} {origin}: {mutated!r}")
            for name, rewrite in LEGITIMATE.items():
                rewritten = rewrite(target, locale)
                if rewritten is None or rewritten == target:
                    continue
                rewrites += 1
                kinds[f"legitimate {name}"] += 1
                codes = errors(source, rewritten, locale)
                flagged += bool(codes)
                if codes and verbose:
                    print(f"  FALSE POSITIVE {locale} {name} {origin} {sorted(codes)}: {rewritten!r}")
        rows.append(f"| {locale} | {len(entries)} | {len(entries) - len(base)} | {tried} | "
                    f"{caught / tried:.1%} | {rewrites} | {flagged / max(rewrites, 1):.1%} |")
    if verbose:
        for kind, count in sorted(kinds.items()):
            print(f"  {kind}: {count}")
    return rows


def time_check(sizes: tuple[int, ...]) -> dict[int, float]:
    """Seconds for check_catalog on ``size`` entries (example entries repeated), best of 3."""
    from polyleaf.catalog.pofile import Catalog, Entry
    from polyleaf.catalog.reading import read_catalog
    from polyleaf.qa.check import check_catalog

    pool: list[Entry] = []
    for path in sorted((REPO / "locales" / "es" / "LC_MESSAGES").glob("*.po")):
        pool += [e for e in read_catalog(path, path.name).live if e.has_translation]
    result = {}
    for size in sizes:
        # every entry distinct (a number appended), so no cache serves a repeat
        entries = tuple(Entry(msgid=f"{e.msgid} ({i})", msgstr=f"{e.msgstr} ({i})",
                              auto_comments=e.auto_comments, line=i + 1)
                        for i, e in ((i, pool[i % len(pool)]) for i in range(size)))
        catalog = Catalog(header=(("Plural-Forms", "nplurals=2; plural=(n != 1);"),),
                          entries=entries)
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            check_catalog(catalog, "es", "x.po")
            best = min(best, time.perf_counter() - start)
        result[size] = best
    return result


def linear() -> list[str]:
    """Adversarial translations of 0.25 MB and 1 MB through the quantity and source-word checks
    (``qa.numbers``, ``qa.codes``, ``qa.source-words``): time ratio (4.0 is linear)."""
    import gc

    from polyleaf.i18n import locale_info
    from polyleaf.qa.quantities import check_codes, check_numbers
    from polyleaf.qa.sourcewords import check_source_words

    patterns = {"1,1,1,…": "1,", "1 1 1 …": "1 ", "123-123-…": "123-", "digits": "7",
                "cuatro …": "cuatro ", "一一一…": "一", "{{{…": "{", "mixed dose text":
                "Tome 1 200 mg, a las 08:00, 3 veces, +44 20 7946 0000 `HD-2026`; "}
    lines, es = [], locale_info("es")
    for name, unit in patterns.items():
        times = []
        for size in (250_000, 1_000_000):
            text = (unit * (size // len(unit) + 1))[:size]
            gc.collect()
            start = time.perf_counter()
            for check in (check_numbers, check_codes, check_source_words):
                list(check(text, text + " ", es))
            times.append(time.perf_counter() - start)
        lines.append(f"| {name} | {times[0]:.2f} s | {times[1]:.2f} s | {times[1] / times[0]:.1f} |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", help="another tree's src/ to time (e.g. main's)")
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    parser.add_argument("--time-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = (10_000, 20_000)
    if args.time_only:
        print(" ".join(f"{v:.3f}" for v in time_check(sizes).values()))
        return
    print("| locale | entries | failing before mutation | harmful | detected | rewrites | "
          "false positives |\n| --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rates(args.verbose)))
    after = time_check(sizes)
    print(f"\npolyleaf check, this tree: {after[10_000]:.2f} s / 10k entries, "
          f"{after[20_000]:.2f} s / 20k (ratio {after[20_000] / after[10_000]:.2f})")
    if args.before:
        env = {**os.environ, "PYTHONPATH": args.before}
        out = subprocess.run([sys.executable, __file__, "--time-only"], env=env, check=True,
                             capture_output=True, text=True).stdout.split()
        print(f"polyleaf check, {args.before}: {float(out[0]):.2f} s / 10k entries, "
              f"{float(out[1]):.2f} s / 20k")
    print("\n| adversarial translation | 0.25 MB | 1 MB | ratio |\n| --- | --- | --- | --- |")
    print("\n".join(linear()))


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
