"""Values as the pages show them to a reader: a language by its English name (its ISO 639-1 code in a
tooltip), a country by its name, a date and time in words (the full stamp and its zone in a tooltip)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from stenogram.api import country_label

#: English names of ISO 639-1 language codes: the languages of the sites stenogram reads, the UN's and
#: the most spoken others (a code not in the table is shown as it is)
LANGUAGES: dict[str, str] = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech", "cy": "Welsh",
    "da": "Danish", "de": "German", "el": "Greek", "en": "English", "eo": "Esperanto", "es": "Spanish",
    "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish",
    "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian", "hu": "Hungarian", "hy": "Armenian",
    "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh",
    "km": "Khmer", "ko": "Korean", "ky": "Kyrgyz", "la": "Latin", "lo": "Lao", "lt": "Lithuanian",
    "lv": "Latvian", "mk": "Macedonian", "mn": "Mongolian", "ms": "Malay", "mt": "Maltese", "my": "Burmese",
    "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "pa": "Punjabi", "pl": "Polish", "ps": "Pashto",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "so": "Somali",
    "sq": "Albanian", "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "tg": "Tajik",
    "th": "Thai", "tk": "Turkmen", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "uz": "Uzbek", "vi": "Vietnamese", "zh": "Chinese", "zu": "Zulu",
}
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
#: a stamp as documents hold it: a year, a month, a day, a time, a zone (each part optional after the one before)
STAMP = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                   r"(Z|[+-]\d{2}:?\d{2})?)?)?)?")


def language_name(code: str | None) -> str:
    """``ar`` → ``Arabic``; a code the table does not know, as it is."""
    if not code:
        return ""
    return LANGUAGES.get(code.lower(), code)


def language_html(code: str | None) -> Markup:
    """A language's name, its code in the tooltip."""
    if not code:
        return Markup("")
    return Markup(f'<span class="lang-name" title="language code: {escape(code)}">{escape(language_name(code))}</span>')


def country_html(code: str | None) -> Markup:
    """A country's name, its ISO code in the tooltip."""
    if not code:
        return Markup("")
    return Markup(f'<span class="country-name" title="country code: {escape(code)}">{escape(country_label(code))}</span>')


def _zone(zone: str | None) -> str:
    if zone is None:
        return "no time zone given"
    if zone == "Z":
        return "UTC"
    zone = zone if ":" in zone else zone[:3] + ":" + zone[3:]
    return "UTC" if zone in ("+00:00", "-00:00") else "UTC" + zone


def readable_date(stamp: str | None) -> str:
    """``2020-11-25T16:19:00+03:00`` → ``25 November 2020, 16:19``; ``2020-11-25`` → ``25 November 2020``;
    ``2020-11`` → ``November 2020``. Anything else is returned as it is."""
    if not stamp:
        return ""
    m = STAMP.fullmatch(stamp.strip())
    if m is None:
        return stamp
    year, month, day, hour, minute = m.group(1, 2, 3, 4, 5)
    if month is None:
        return year
    if not 1 <= int(month) <= 12:
        return stamp
    if day is None:
        return f"{MONTHS[int(month) - 1]} {year}"
    text = f"{int(day)} {MONTHS[int(month) - 1]} {year}"
    return f"{text}, {hour}:{minute}" if hour is not None else text


def date_html(stamp: str | None) -> Markup:
    """A ``<time>`` with the date in words, the stamp in ``datetime`` and, in its tooltip, the full
    stamp and its time zone."""
    if not stamp:
        return Markup("")
    m = STAMP.fullmatch(stamp.strip())
    if m is None:
        return Markup(f"<time>{escape(stamp)}</time>")
    tip = stamp if m.group(4) is None else f"{stamp} ({_zone(m.group(7))})"
    return Markup(f'<time datetime="{escape(stamp.strip())}" title="{escape(tip)}">{escape(readable_date(stamp))}</time>')
