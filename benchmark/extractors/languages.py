"""BCP 47 language tags mapped to what language-aware extractors call their languages."""

from __future__ import annotations

#: ISO 639 code -> jusText 3.0.2 builtin stoplist name (every builtin list with a code;
#: "Simple_English" has none). Legacy codes (iw, in, mo, no) map like their successors.
JUSTEXT_STOPLISTS: dict[str, str] = {
    "af": "Afrikaans", "sq": "Albanian", "ar": "Arabic", "an": "Aragonese", "hy": "Armenian",
    "rup": "Aromanian", "ast": "Asturian", "az": "Azerbaijani", "eu": "Basque", "be": "Belarusian",
    "be-tarask": "Belarusian_Taraskievica", "bn": "Bengali", "bpy": "Bishnupriya_Manipuri",
    "bs": "Bosnian", "br": "Breton", "bg": "Bulgarian", "ca": "Catalan", "ceb": "Cebuano",
    "cv": "Chuvash", "hr": "Croatian", "cs": "Czech", "da": "Danish", "nl": "Dutch", "en": "English",
    "eo": "Esperanto", "et": "Estonian", "fi": "Finnish", "fr": "French", "gl": "Galician",
    "ka": "Georgian", "de": "German", "el": "Greek", "gu": "Gujarati", "ht": "Haitian", "he": "Hebrew",
    "iw": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "is": "Icelandic", "io": "Ido", "ig": "Igbo",
    "id": "Indonesian", "in": "Indonesian", "ga": "Irish", "it": "Italian", "jv": "Javanese",
    "kn": "Kannada", "kk": "Kazakh", "ko": "Korean", "ku": "Kurdish", "ky": "Kyrgyz", "la": "Latin",
    "lv": "Latvian", "lt": "Lithuanian", "lmo": "Lombard", "nds": "Low_Saxon", "lb": "Luxembourgish",
    "mk": "Macedonian", "ms": "Malay", "ml": "Malayalam", "mt": "Maltese", "mr": "Marathi",
    "nap": "Neapolitan", "ne": "Nepali", "new": "Newar", "nb": "Norwegian_Bokmal",
    "no": "Norwegian_Bokmal", "nn": "Norwegian_Nynorsk", "oc": "Occitan", "fa": "Persian",
    "pms": "Piedmontese", "pl": "Polish", "pt": "Portuguese", "qu": "Quechua", "ro": "Romanian",
    "mo": "Romanian", "ru": "Russian", "sgs": "Samogitian", "sr": "Serbian", "sh": "Serbo_Croatian",
    "scn": "Sicilian", "sk": "Slovak", "sl": "Slovenian", "es": "Spanish", "su": "Sundanese",
    "sw": "Swahili", "sv": "Swedish", "tl": "Tagalog", "fil": "Tagalog", "ta": "Tamil", "te": "Telugu",
    "tr": "Turkish", "tk": "Turkmen", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "vo": "Volapuk", "wa": "Walloon", "war": "Waray_Waray", "cy": "Welsh",
    "fy": "West_Frisian", "pnb": "Western_Panjabi", "yo": "Yoruba",
}

#: Languages written without spaces in Han/Kana script: a paragraph needs far fewer characters.
CJK_PRIMARY = frozenset({"zh", "ja", "yue", "wuu", "lzh", "cmn", "hak", "nan", "gan", "hsn"})


def primary_subtag(tag: str) -> str:
    """The lowercase primary language subtag of a BCP 47 tag ("pt-BR" -> "pt", "zh_Hant" -> "zh")."""
    return tag.strip().replace("_", "-").split("-", 1)[0].lower()


def justext_key(tag: str, languages: dict[str, str]) -> str | None:
    """The key of `languages` that a BCP 47 tag selects (a registered variant such as be-tarask first)."""
    normalized = tag.strip().replace("_", "-").lower()
    for key in (normalized, primary_subtag(tag)):
        if key and key in languages:
            return key
    # "be-tarask-..." and other longer tags carrying a registered variant
    parts = normalized.split("-")
    for i in range(len(parts) - 1, 1, -1):
        candidate = "-".join(parts[:i])
        if candidate in languages:
            return candidate
    return None
