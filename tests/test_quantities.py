"""Doses, numbers and units (issue 13): every example, in es, fr, de, ar and zh_Hans.

Each case is a source text, a harmful translation that must fail (an error-level finding) and a
correct one that must pass. Critical cases are checked through :func:`check_entry` on an entry
extracted from a ``> [!WARNING]`` call-out.
"""

from __future__ import annotations

import pytest

from polyleaf.catalog.extract import CRITICAL_NOTE
from polyleaf.catalog.pofile import Entry
from polyleaf.errors import Level
from polyleaf.i18n import locale_info
from polyleaf.qa.checks import check_entry
from polyleaf.qa.quantities.numparse import convention, normalize, plain, read, scan_token

NB, NNB = "\u00a0", "\u202f"

# (name, locale, source, bad translation, good translation)
CASES = [
    # a unit changed
    ("unit", "es", "Take 4 g a day.", "Tome 4 mg al día.", "Tome 4 g al día."),
    ("unit", "fr", "Take 4 g a day.", "Prenez 4 mg par jour.", "Prenez 4 g par jour."),
    ("unit", "de", "Take 4 g a day.", "Nehmen Sie täglich 4 mg.", "Nehmen Sie täglich 4 g."),
    ("unit", "ar", "Take 4 g a day.", "تناول ٤ ملغ يوميًا.", "تناول ٤ غرامات يوميًا."),
    ("unit", "zh_Hans", "Take 4 g a day.", "每天服用４毫克。", "每天服用４克。"),
    ("unit2", "es", "Take 500 mg.", "Tome 500 g.", "Tome 500 mg."),
    ("unit2", "fr", "Take 500 mg.", "Prenez 500 g.", "Prenez 500 mg."),
    ("unit2", "de", "Take 500 mg.", "Nehmen Sie 500 g.", "Nehmen Sie 500 mg."),
    ("unit2", "ar", "Take 500 mg.", "تناول ٥٠٠ غرام.", "تناول ٥٠٠ مليغرام."),
    ("unit2", "zh_Hans", "Take 500 mg.", "服用５００克。", "服用５００毫克。"),
    ("volume", "zh_Hans", "Drink 5 ml.", "喝５升。", "喝５毫升。"),
    # a number added
    ("added", "es", "Take 500 mg if it hurts.", "Tome 500 mg o 5000 mg si duele mucho.",
     "Tome 500 mg si le duele."),
    ("added", "fr", "Take 500 mg if it hurts.", "Prenez 500 mg ou 5000 mg si ça fait très mal.",
     "Prenez 500 mg si vous avez mal."),
    ("added", "de", "Take 500 mg if it hurts.", "Nehmen Sie 500 mg oder 5000 mg bei starken Schmerzen.",
     "Nehmen Sie 500 mg bei Schmerzen."),
    ("added", "ar", "Take 500 mg if it hurts.", "تناول ٥٠٠ ملغ أو ٥٠٠٠ ملغ إذا اشتد الألم.",
     "تناول ٥٠٠ ملغ إذا شعرت بالألم."),
    ("added", "zh_Hans", "Take 500 mg if it hurts.", "疼痛时服用500毫克或5000毫克。", "疼痛时服用500毫克。"),
    # English grouping left in: 1,200 reads as 1.2 where the comma is the decimal mark
    ("grouping", "es", "Take 1,200 mg.", "Tome 1,200 mg.", "Tome 1200 mg."),
    ("grouping", "fr", "Take 1,200 mg.", "Prenez 1,200 mg.", f"Prenez 1{NNB}200 mg."),
    ("grouping", "de", "Take 1,200 mg.", "Nehmen Sie 1,200 mg.", "Nehmen Sie 1.200 mg."),
    ("grouping", "ar", "Take 1,200 mg.", "تناول ١٫٢٠٠ ملغ.", "تناول ١٬٢٠٠ ملغ."),
    ("grouping", "zh_Hans", "Take 1,200 mg.", "服用1.200毫克。", "服用１２００毫克。"),
    # digits joined by a plain space: one number or two?
    ("space", "es", "Take 500 mg.", "Tome 1 500 mg.", f"Tome 500{NB}mg."),
    ("space", "es", "Take 500 mg.", "Tome 500 000 mg.", "Tome 500 mg."),
    ("space", "de", "Take 500 mg.", "Nehmen Sie 1 500 mg.", "Nehmen Sie 500 mg."),
    ("space", "fr", "Take 500 mg.", "Prenez 1 500 mg.", "Prenez 500 mg."),
    ("space", "ar", "Take 500 mg.", "تناول ١ ٥٠٠ ملغ.", "تناول ٥٠٠ ملغ."),
    ("space", "zh_Hans", "Take 500 mg.", "服用1 500毫克。", "服用500毫克。"),
    # numbers swapped between units
    ("swap", "es", "Rest for 15 days, then walk for 3 months.",
     "Descanse 3 días y luego camine durante 15 meses.", "Descanse 15 días y luego camine durante 3 meses."),
    ("swap", "fr", "Rest for 15 days, then walk for 3 months.",
     "Reposez-vous 3 jours, puis marchez pendant 15 mois.",
     "Reposez-vous 15 jours, puis marchez pendant 3 mois."),
    ("swap", "de", "Rest for 15 days, then walk for 3 months.",
     "Ruhen Sie 3 Tage, dann gehen Sie 15 Monate.", "Ruhen Sie 15 Tage, dann gehen Sie 3 Monate."),
    ("swap", "ar", "Rest for 15 days, then walk for 3 months.",
     "استرح ٣ أيام، ثم امشِ لمدة ١٥ شهرًا.", "استرح ١٥ يومًا، ثم امشِ لمدة ٣ أشهر."),
    ("swap", "zh_Hans", "Rest for 15 days, then walk for 3 months.",
     "休息3天，然后步行15个月。", "休息15天，然后步行3个月。"),
    # code spans character for character
    ("code", "es", "Quote `HD-2026` when you call.", "Indique `DH-2026` al llamar.",
     "Indique `HD-2026` al llamar."),
    ("code", "fr", "Quote `HD-2026` when you call.", "Citez `DH-2026` en appelant.",
     "Citez `HD-2026` en appelant."),
    ("code", "de", "Quote `HD-2026` when you call.", "Nennen Sie `DH-2026`.", "Nennen Sie `HD-2026`."),
    ("code", "ar", "Quote `HD-2026` when you call.", "اذكر `DH-2026` عند الاتصال.",
     "اذكر `HD-2026` عند الاتصال."),
    ("code", "zh_Hans", "Quote `HD-2026` when you call.", "来电时请报`DH-2026`。", "来电时请报`HD-2026`。"),
    # phone numbers: digits exact, grouping free
    ("phone", "es", "Call +44 20 7946 0000.", "Llame al +44 20 7946 0001.", "Llame al +44 2079 460 000."),
    ("phone", "ar", "Call +44 20 7946 0000.", "اتصل على +44 20 7946 0001.", "اتصل على +٤٤ ٢٠ ٧٩٤٦ ٠٠٠٠."),
    # times of day by value
    ("clock", "es", "Take it at 08:00.", "Tómelo a las 9:00.", "Tómelo a las 8:00."),
    ("clock", "fr", "Take it at 08:00.", "Prenez-le à 9 h.", "Prenez-le à 8 h."),
    ("clock", "de", "Take it at 08:00.", "Nehmen Sie es um 9:00 Uhr.", "Nehmen Sie es um 8:00 Uhr."),
    ("clock", "ar", "Take it at 08:00.", "تناوله الساعة ٩:٠٠.", "تناوله الساعة ٨:٠٠."),
    ("clock", "zh_Hans", "Take it at 08:00.", "在9:00服用。", "在8:00服用。"),
    # small numbers written as words
    ("words", "es", "Take it 4 times a day.", "Tómelo cinco veces al día.", "Tómelo cuatro veces al día."),
    ("words", "fr", "Take it 4 times a day.", "Prenez-le cinq fois par jour.",
     "Prenez-le quatre fois par jour."),
    ("words", "de", "Take it 4 times a day.", "Nehmen Sie es fünfmal täglich.",
     "Nehmen Sie es viermal täglich."),
    ("words", "ar", "Take it 2 times a day.", "تناوله ثلاث مرات يوميًا.", "تناوله مرتين يوميًا."),
    ("words", "zh_Hans", "Take it 4 times a day.", "每天服用五次。", "每天服用四次。"),
    ("words", "es", "Rest for two weeks.", "Descanse tres semanas.", "Descanse dos semanas."),
    # ranges by their endpoints
    ("range", "es", "Take 200-400 mg.", "Tome de 200 a 400 g.", "Tome de 200 a 400 mg."),
    ("range", "fr", "Take 200-400 mg.", "Prenez de 200 à 4000 mg.", "Prenez de 200 à 400 mg."),
    ("range", "de", "Take 200-400 mg.", "Nehmen Sie 200 bis 40 mg.", "Nehmen Sie 200 bis 400 mg."),
    ("range", "ar", "Take 200-400 mg.", "تناول من ٢٠٠ إلى ٤٠٠ غرام.", "تناول من ٢٠٠ إلى ٤٠٠ ملغ."),
    ("range", "zh_Hans", "Take 200-400 mg.", "服用200至400克。", "服用200至400毫克。"),
    ("range", "es", "Take 500 mg–1 g.", "Tome de 500 mg a 1 mg.", "Tome de 500 mg a 1 g."),
    ("decimal", "de", "Take 2.5 ml.", "Nehmen Sie 25 ml.", "Nehmen Sie 2,5 ml."),
    ("decimal", "ar", "Take 2.5 ml.", "تناول ٢٥ مل.", "تناول ٢٫٥ مل."),
]


def _codes(locale: str, source: str, target: str, critical: bool = False,
           comments: tuple[str, ...] = ()) -> set[str]:
    entry = Entry(msgid=source, msgstr=target, auto_comments=(CRITICAL_NOTE,) if critical else (),
                  translator_comments=comments)
    return {f.code for f in check_entry(entry, locale_info(locale)) if f.level is Level.ERROR}


@pytest.mark.parametrize(("name", "locale", "source", "bad", "good"), CASES,
                         ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)])
def test_harmful_translation_fails_and_correct_one_passes(name: str, locale: str, source: str,
                                                           bad: str, good: str) -> None:
    assert _codes(locale, source, bad) & {"qa.numbers", "qa.codes"}, (name, bad)
    assert _codes(locale, source, good) == set(), (name, good)


LOCALES = ["es", "fr", "de", "ar", "zh_Hans"]
CRITICAL = {  # (bad, good) inside a > [!WARNING] call-out
    "es": ("Nunca tome más de 4000 g en 24 horas.", "Nunca tome más de 4000 mg en 24 horas."),
    "fr": ("Ne prenez jamais plus de 4000 g en 24 heures.", "Ne prenez jamais plus de 4000 mg en 24 heures."),
    "de": ("Nehmen Sie nie mehr als 4000 g in 24 Stunden.", "Nehmen Sie nie mehr als 4000 mg in 24 Stunden."),
    "ar": ("لا تتناول أكثر من ٤٠٠٠ غرام خلال ٢٤ ساعة.", "لا تتناول أكثر من ٤٠٠٠ ملغ خلال ٢٤ ساعة."),
    "zh_Hans": ("24小时内不要超过4000克。", "24小时内不要超过4000毫克。"),
}
FEVER = {
    "es": ("Llame al 999 si tiene fiebre alta (38 °C o más; 39 °C en niños).",
           "Llame al 999 si tiene fiebre alta (38 °C o más)."),
    "fr": ("Appelez le 999 en cas de forte fièvre (38 °C ou plus ; 39 °C chez l’enfant).",
           "Appelez le 999 en cas de forte fièvre (38 °C ou plus)."),
    "de": ("Rufen Sie 999 bei hohem Fieber (ab 38 °C; 39 °C bei Kindern).",
           "Rufen Sie 999 bei hohem Fieber (ab 38 °C)."),
    "ar": ("اتصل بالرقم ٩٩٩ إذا كانت حرارتك مرتفعة (٣٨ °م أو أكثر؛ ٣٩ °م للأطفال).",
           "اتصل بالرقم ٩٩٩ إذا كانت حرارتك مرتفعة (٣٨ °م أو أكثر)."),
    "zh_Hans": ("如果高烧（38 °C或以上；儿童39 °C），请拨打999。", "如果高烧（38 °C或以上），请拨打999。"),
}
NOW = {  # an English word left in urgent-care text
    "es": ("Vaya a urgencias **now**.", "Vaya a urgencias **ahora**."),
    "fr": ("Allez aux urgences **now**.", "Allez aux urgences **maintenant**."),
    "de": ("Gehen Sie **now** in die Notaufnahme.", "Gehen Sie **sofort** in die Notaufnahme."),
    "ar": ("اذهب إلى الطوارئ **now**.", "اذهب إلى الطوارئ **الآن**."),
    "zh_Hans": ("**now**去急诊。", "**立即**去急诊。"),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_dose_changed_in_a_warning_call_out_fails(locale: str) -> None:
    bad, good = CRITICAL[locale]
    source = "Never take more than 4000 mg in 24 hours."
    assert "qa.numbers" in _codes(locale, source, bad, critical=True)
    assert _codes(locale, source, good, critical=True) == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_a_temperature_added_in_a_critical_entry_fails(locale: str) -> None:
    bad, good = FEVER[locale]
    source = "Call 999 if you have a high temperature (38 °C or above)."
    assert "qa.numbers" in _codes(locale, source, bad, critical=True)
    assert _codes(locale, source, good, critical=True) == set()


@pytest.mark.parametrize("locale", LOCALES)
def test_an_english_word_left_in_a_critical_entry_fails(locale: str) -> None:
    bad, good = NOW[locale]
    source = "Go to the emergency department **now**."
    assert _codes(locale, source, bad, critical=True) == {"qa.source-words"}
    assert _codes(locale, source, good, critical=True) == set()
    assert _codes(locale, source, bad) == set()  # only urgent-care text is held to it


@pytest.mark.parametrize("locale", LOCALES)
def test_critical_text_copied_unchanged_is_an_error_no_comment_silences(locale: str) -> None:
    source = "Call 999 now if you cannot breathe."
    ignore = ("qa-ignore: unchanged, source-words, numbers",)
    assert "qa.unchanged" in _codes(locale, source, source, critical=True, comments=ignore)
    assert "qa.unchanged" not in _codes(locale, source, source, comments=ignore)


def test_no_comment_silences_a_warning_on_a_critical_entry() -> None:
    entry = Entry(msgid="Call 999 now if you cannot breathe at all.", msgstr="Llame al 999.",
                  auto_comments=(CRITICAL_NOTE,), translator_comments=("qa-ignore: length",))
    assert "qa.length" in {f.code for f in check_entry(entry, locale_info("es"))}
    plain = Entry(msgid=entry.msgid, msgstr=entry.msgstr, translator_comments=("qa-ignore: length",))
    assert "qa.length" not in {f.code for f in check_entry(plain, locale_info("es"))}


def test_names_drugs_and_units_may_stay_in_critical_text() -> None:
    source = "Take paracetamol, not ibuprofen, and call Riverside Clinic in the UK (500 mg)."
    target = "Tome paracetamol, no ibuprofeno, y llame a Riverside Clinic en el UK (500 mg)."
    assert _codes("es", source, target, critical=True) == set()


def test_the_message_names_both_quantities_as_written() -> None:
    entry = Entry(msgid="Take 1,200 mg.", msgstr="Tome 1,200 mg.")
    messages = [f.message for f in check_entry(entry, locale_info("es"))]
    assert 'source has "1,200 mg" (1200 mg); translation has "1,200 mg" = 1.2 mg in es' in messages
    assert any("1.2 in es, but 1200 the way en writes it" in m for m in messages)


def test_ambiguity_hint_shows_both_readings() -> None:
    entry = Entry(msgid="Take 1,200 mg.", msgstr="Tome 1,200 mg.")
    hints = [f.hint for f in check_entry(entry, locale_info("es")) if "way en writes" in f.message]
    assert hints and "1,2" in hints[0] and "1200" in hints[0]


@pytest.mark.parametrize(("text", "locale", "values"), [
    ("1,200", "en", ["1200"]), ("1,200", "es", ["1.2"]), ("1.200", "de", ["1200"]),
    (f"1{NB}200", "es", ["1200"]), (f"1{NNB}200", "de", ["1200"]), ("4 000", "fr", ["4000"]),
    ("4 000", "es", ["4", "0"]), ("1.234,5", "de", ["1234.5"]), ("1,234.5", "en", ["1234.5"]),
    ("٣٫٥", "ar", ["3.5"]), ("١٬٢٠٠", "ar", ["1200"]), ("１２", "zh_Hans", ["12"]),
    ("۱۲٫۵", "ar", ["12.5"]), ("01.02.2026", "de", ["1", "2", "2026"]), ("0,125", "es", ["0.125"]),
])
def test_numbers_are_read_the_locale_s_way(text: str, locale: str, values: list[str]) -> None:
    norm = normalize(text)
    readings = read(scan_token(norm, 0), convention(locale))
    assert [plain(r.value) for r in readings] == values
