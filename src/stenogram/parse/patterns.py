"""The parser's rules as data: month names, chrome, label words, notes, kinds, roles.

A new language or site is mostly a few rows here. Functions that use these tables live in the
modules next to this one; nothing here runs at import beyond compiling regular expressions.
"""

from __future__ import annotations

import re

# --- months -------------------------------------------------------------------------------------
# Every form a month takes in a date (Russian genitive, French and Spanish lowercase, abbreviations).
MONTHS: dict[str, int] = {}
_MONTH_FORMS = {
    1: "january jan janvier janv januar jän enero января январь",
    2: "february feb février fevrier févr februar febrero февраля февраль",
    3: "march mar mars märz maerz marzo марта март",
    4: "april apr avril abril апреля апрель",
    5: "may mai mayo мая май",
    6: "june jun juin juni junio июня июнь",
    7: "july jul juillet juli julio июля июль",
    8: "august aug août aout agosto августа август",
    9: "september sep sept septembre septiembre setiembre сентября сентябрь",
    10: "october oct octobre oktober okt octubre октября октябрь",
    11: "november nov novembre noviembre ноября ноябрь",
    12: "december dec décembre decembre dezember dez diciembre декабря декабрь",
}
# Italian months, for the stamps of reposts on Italian sites (forms shared with other languages map alike)
_MONTH_FORMS_IT = "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre"
for _num, _forms in _MONTH_FORMS.items():
    for _form in _forms.split():
        MONTHS[_form] = _num
for _num, _form in enumerate(_MONTH_FORMS_IT.split(), start=1):
    MONTHS[_form] = _num

_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
_M = rf"(?P<month>{_MONTH_ALT})\.?"
_D = r"(?P<day>[0-3]?\d)"
_Y = r"(?P<year>(?:1[89]|20)\d\d)"

# Date shapes, tried in this order. Each yields day, month, year (and maybe a glued time).
DATE_PATTERNS: tuple[re.Pattern[str], ...] = (
    # November 25, 2020 / Nov. 25, 2020
    re.compile(rf"\b{_M}\s+{_D}(?:st|nd|rd|th)?,?\s+{_Y}", re.IGNORECASE),
    # 25 November 2020 / 25. November 2020 / 25 ноября 2020 года / 25 de noviembre de 2020 / 1er mars 2020 /
    # 13 november / 2017 (a stamp that breaks the line between month and year)
    re.compile(rf"\b{_D}(?:er|st|nd|rd|th)?\.?\s+(?:de\s+)?{_M}(?:\s+|\s*/\s*)(?:de\s+|del\s+)?{_Y}"
               rf"(?:\s*(?:года|г\.))?", re.IGNORECASE),
    # 2020-11-25
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
    # 25.11.2020
    re.compile(r"\b(?P<day>[0-3]?\d)\.(?P<month>[01]?\d)\.(?P<year>(?:19|20)\d\d)\b"),
    # "25/05/2018": day first, as written outside the United States (whose pages name the month)
    re.compile(r"(?<![\w/])(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)\b"),
)

# "25 November 202016:19" and "16 марта 202115:40": a date glued to its time.
GLUED_DATE_TIME = re.compile(
    rf"^\s*{_D}\.?\s+{_M}\s+{_Y}(?P<time>[0-2]\d:[0-5]\d)\s*$", re.IGNORECASE
)
TIME = re.compile(r"\b(?P<hour>[0-2]?\d)[:.](?P<minute>[0-5]\d)(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?", re.IGNORECASE)
ISO_STAMP = re.compile(r"^\s*(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?:[ T](?P<hour>[0-2]\d):(?P<minute>[0-5]\d))?\s*$")

# --- chrome: lines that belong to the site, never to a turn ---------------------------------------
# Each pattern must match the whole stripped line.
CHROME_LINES: tuple[str, ...] = (
    r"Advanced settings", r"Additional materials", r"Asset Publisher", r"Print( version)?",
    r"Версия для печати", r"Расширенные настройки", r"Дополнительные материалы", r"Расширенный поиск",
    r"Erweiterte Einstellungen", r"Zusätzliche Materialien", r"Configuración avanzada",
    r"Materiales adicionales", r"Paramètres avancés", r"Documents supplémentaires", r"Matériaux supplémentaires",
    r"Versão de impressão", r"View settings", r"Font size:?", r"Site colou?rs:?", r"Images", r"Settings",
    r"Official website of the President of Russia", r"Официальный сайт Президента России",
    r"Президент России", r"Documents? /", r"News /", r"Документ /", r"Новости /",
    r"official site", r"Home\s*\\.*", r"Home\s*>.*", r"Главная\s*[>\\/].*",
    r"Share", r"Tweet", r"Share on \w+", r"Поделиться", r"Send by e-?mail", r"Subscribe.*",
    r"An official website of the United States [Gg]overnment", r"Here’s how you know", r"Here's how you know",
    r"Official websites use \.gov", r"Secure \.gov websites use HTTPS",
    r"Skip to (main )?content", r"Back to top", r"Menu", r"Search", r"Поиск", r"Меню",
    r"\[\]", r"Consular queries:?.*", r"SPEECHES, INTERVIEWS, ARTICLES",
    r"[A-Z][a-z]+(?: [A-Z][a-z]+)?: [0-2]?\d:[0-5]\d",        # clocks: "Moscow: 15:46"
    r".{0,40}\bdays? have passed since\b.*", r".{0,40}\bдней прошло\b.*",
    r"This page was (captured|saved|archived).*", r"Captured on .*", r"Saved on .*",
    r"Publication date:?.*", r"Дата публикации:?.*", r"Tags?:.*", r"Теги:.*", r"Topics:?", r"Темы:?", r"Text version", r"Текстовая версия",
    r"A \.gov website belongs to .*", r"A lock \(.*", r"Share sensitive information only on .*", r"Diplomacy in Action",
    r"U\.S\. Department of State", r"Welcome to the United Nations", r"Настройки отображения", r"Размер шрифта:?",
    r"Цвета сайта:?", r"Изображения", r"Настройки", r"Текстовая версия", r"Прямая ссылка на материал:?.*",
    r"Direct link:?.*", r"Share this:?", r"Share this article", r"Like this:?", r"Like Loading\.\.\.", r"Leave a (?:Reply|comment)",
    r"Twitter", r"Facebook", r"Telegram", r"VK", r"WhatsApp", r"LinkedIn", r"E-?mail", r"Related", r"Обсудить на форуме",
    r"(?:[^|]{1,30}\|){3,}[^|]{0,30}",
    r"Partager\s?:?", r"Imprimer", r"J[’']aime(?: ceci)?\s?:?", r"Articles similaires", r"Teilen:?", r"Seite teilen",
    r"Date modified:?.*", r"Authori[sz]ed by .{3,80}", r"(?:Transcribe|Transcription)\b.{0,80}\bfor free\.?",
    r"Drucken", r"Compartir:?", r"Imprimir", r"Читайте также", r"Im Wortlaut", r"Press Briefings", r"Briefing Room",
    r"Statements and Releases", r"Speeches and Remarks", r"Our Standards:.{0,80}",
    r"[•·]?\s*Last updated:?\s.{0,40}", r"[•·]?\s*\|", r"[\w/]{2,12} (?:speeches|statements)",
    r".{0,300}\b(?:Online by|Citation|Cite this|Permalink)\b.{0,200}https?://\S+",
    r"(?:العربية|中文|English|Français|Русский|Español)(?:\s+(?:العربية|中文|English|Français|Русский|Español))+",
    r"For information media\. Not an official record\.?", r"The Office of Website Management.*",
    r"External links to other Internet sites.*", r"You are viewing ARCHIVED CONTENT.*", r"Home\s*».*",
    r"Cookies?.*", r"We use cookies.*", r"Accept( all)?( cookies)?", r"Page \d+ of \d+",
    r"Share this page", r"The following links open in a new tab", r"Is this page useful\??", r"Report a problem with this page",
    r"All content is available under the Open Government Licence.*",
    r"\d+\s*(views?|просмотр\w*)", r"All rights reserved.*", r"©.*", r"Copyright.*",
)
CHROME = re.compile(r"^(?:" + "|".join(CHROME_LINES) + r")$", re.IGNORECASE)

# The language bar of mid.ru: "• de-DE1 en-GB1 es-ES1 ru-RU1 fr-FR1".
LANGUAGE_BAR = re.compile(r"^[•·*\s]*(?:[a-z]{2}-[A-Z]{2}\d*\s*)+$")
LANGUAGE_BAR_TOKEN = re.compile(r"([a-z]{2})-[A-Z]{2}\d*")

SECTION_BREAK = re.compile(r"^\s*(?:\*\s*){3,}\s*$|^\s*(?:-\s*){3,}$")
TABLE_OF_CONTENTS = re.compile(
    r"^(?:Table of contents|Contents|Содержание|Оглавление|Inhalt(?:sverzeichnis)?|Índice|Sommaire|Table des matières)$",
    re.IGNORECASE,
)
NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s+\S")
# Headings that introduce a briefing's question-and-answer part.
QA_HEADINGS = re.compile(
    r"^(?:Answers to (?:media )?questions|Excerpts from answers to (?:media )?questions|Ответы на вопросы(?: СМИ)?|"
    r"Из ответов на вопросы(?: СМИ)?|Antworten auf Fragen(?: der Medien)?|Respuestas a (?:las )?preguntas(?: de los medios)?|"
    r"Réponses aux questions(?: des médias)?|Q\s?&\s?A|Questions? and answers?(?: session)?)\s*:?$",
    re.IGNORECASE,
)
# Editorial sentences and bylines that go to the preamble.
STOCK_SENTENCES = re.compile(
    r"^(?:The following is a near-verbatim transcript|Unofficial translation|Неофициальный перевод|"
    r"Inoffizielle Übersetzung|Traducción no oficial|Traduction non officielle|TRANSCRIPT:?$|Index for Today.s Briefing|"
    r"\(?перевод с \w+\)?$|\(?unofficial translation\)?$|\(As delivered\)$|Check against delivery!?$|"
    r"This is a provisional translation\b|(?:(?:Event|Full|Official|Edited|Rush) )?Transcript:?$|E&OE$|This transcript has been (?:lightly )?edited\b)",
    re.IGNORECASE,
)
START_TIME_LINE = re.compile(r"^\s*[0-2]?\d:[0-5]\d\s*[ap]\.?\s?m\.?\s*(?:E[SD]T|ET|local time)?\s*$", re.IGNORECASE)
DOC_NUMBER_LINE = re.compile(r"^\s*\d{2,5}-\d{2}-\d{2}-\d{4}\s*$")
BARE_TIME_LINE = re.compile(r"^\s*[0-2]?\d:[0-5]\d\s*$")
# Where a briefing took place, on a line of its own: "James S. Brady Press Briefing Room", "Aboard Air Force One".
VENUE_LINE = re.compile(
    r"^(?:(?:The\s+)?(?:[A-Z][\w.’'\-]*\s+){0,6}(?:Briefing Room|Press Room|Ballroom|Rose Garden|Oval Office|Roosevelt Room)|"
    r"(?:Aboard|On board) [A-Z].{2,60}|En [Rr]oute (?:(?:to|from) )?[A-Z].{2,60})$"
)
# The line that closes a transcript: "END", "###", "END    2:41 P.M. EDT" (the White House's, with the end time).
END_MARK = re.compile(r"^(?:END(?:\s+[0-2]?\d:[0-5]\d\s*[AaPp]\.?\s?[Mm]\.?(?:\s*E[SD]T)?)?|###|-\s?END\s?-|ENDE|FIN)$")
# A reply in a dash dialogue: "— Year was difficult." (em or en dash and a space).
DASH_REPLY = re.compile(r"^[—–]\s+(?=\S)")
# Field lines of a press conference's head ("Themen: ...", "Sprecher: ..."): the word before the colon.
FIELD_HEADERS = frozenset({
    "themen", "thema", "sprecher", "sprecherin", "sprecherinnen", "teilnehmer", "teilnehmende", "ort", "datum",
    "topics", "topic", "speakers", "participants", "venue", "date", "temas", "participantes", "lugar", "fecha",
    "subjects", "subject", "sujets", "intervenants", "lieu", "темы", "тема", "участники", "место", "дата",
})

# --- stage directions ---------------------------------------------------------------------------
_DIRECTION_WORDS = (
    r"laughter|applause|cross[- ]?talk|inaudible|unintelligible|off[- ]mic(?:rophone)?|in english|in russian|"
    r"speaks? in \w+|hands over [^)\]]*|pause|laughs|laughing|smiles|chuckles|interruption|crosstalk|"
    r"смех|аплодисменты|смеётся|смеется|неразборчиво|по-английски|по-русски|говорит по-\w+|"
    r"gelächter|heiterkeit|beifall|applaus|lachen|risas|aplausos|rires|applaudissements|"
    r"the briefing was concluded[^)\]]*|the briefing (?:ended|adjourned)[^)\]]*|end of (?:transcript|briefing)"
)
# A note inside a paragraph: "(Laughter.)", "[inaudible]", "<…>", "<...>".
INLINE_NOTE = re.compile(
    r"\((?:\d{1,2}:)?\d{1,2}:\d{2}\)|"      # a transcription service's time code: "(00:28)"
    rf"\((?:{_DIRECTION_WORDS})(?:[,;]\s*[^()]{{0,40}})?\.?\)|\[(?:{_DIRECTION_WORDS})[^\]]{{0,40}}\]|<\s*(?:…|\.\.\.?)\s*>|<\.\.+|\.\.+>",
    re.IGNORECASE,
)
# A paragraph that is nothing but a direction: "(Applause)", "A minute of silence.", "Ceremony for presenting ...".
STANDALONE_DIRECTION = re.compile(
    r"^(?:\([^()]{1,120}\)|\[[^\[\]]{1,120}\]|<\s*(?:…|\.\.\.?)\s*>|A minute of silence\.?|Минута молчания\.?|"
    r"Ceremony for presenting [^.]{1,100}\.?|Церемония вручения [^.]{1,100}\.?)$",
    re.IGNORECASE,
)

# --- labels -------------------------------------------------------------------------------------
# Generic label words and the turn kind they mean. Lower-cased keys; matched case-insensitively.
QUESTION_WORDS = frozenset({
    "question", "questions", "q", "follow-up", "follow up", "followup", "journalist", "correspondent",
    "reporter", "participant", "audience member", "вопрос", "журналист", "реплика", "корреспондент",
    "frage", "journalistin", "pregunta", "periodista", "réplica", "journaliste", "réplique", "intervenant",
    "zusatzfrage", "nachfrage", "zusatz", "p",
})
# A transcription service's unnamed, numbered voice: "Speaker 3", "Unknown Speaker 2", "Участник 1".
NUMBERED_SPEAKER = re.compile(r"^(?:Unknown |Unidentified )?(?:Speaker|Voice|Участник|Sprecher|Orador|Intervenant)\s+\d{1,2}$",
                              re.IGNORECASE)
ANSWER_WORDS = frozenset({"a", "answer", "ответ", "antwort", "respuesta", "réponse", "r"})
SPOKESPERSON_WORDS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "deputy spokesman", "deputy spokeswoman",
    "deputy spokesperson", "associate spokesperson", "официальный представитель",
})
MODERATOR_WORDS = frozenset({
    "moderator", "host", "presenter", "chair", "chairman", "ведущий", "ведущая", "модератор",
    "moderatorin", "moderador", "moderadora", "présentateur", "modérateur", "animateur",
    "vorsitzende", "vorsitzender", "vors.",
})
# Words before a colon that begin prose, not a speaker.
LABEL_BLACKLIST = frozenset({
    "note", "notes", "update", "example", "source", "sources", "photo", "photos", "video", "read more",
    "see also", "related", "tags", "tag", "keywords", "share", "print", "attention", "warning", "important",
    "ps", "p.s", "nb", "result", "results", "summary", "background", "context", "quote",
    "примечание", "справка", "фото", "видео", "источник", "внимание", "текст", "автор", "text", "texte", "anmerkung", "hinweis", "quelle",
    "nota", "fuente", "remarque", "consular queries", "moscow", "london", "washington",
    "first", "second", "third", "firstly", "secondly", "finally", "yes", "no", "well", "so", "now",
})
# Small words allowed inside a capitalised name or role label.
NAME_PARTICLES = frozenset({
    "of", "the", "and", "for", "to", "on", "at", "de", "del", "la", "le", "les", "des", "du", "da", "do",
    "von", "van", "der", "den", "al", "al-", "el", "bin", "ibn", "y", "et", "und", "и", "по", "при", "–", "-", "—",
})
# Role words: where a title or a label stops being a role and becomes a name.
_ROLE_WORDS = frozenset("""
president vice-president prime minister ministers secretary spokesperson spokesman spokeswoman chancellor king
queen emir prince crown sheikh governor mayor ambassador envoy representative commissioner director chairman
chair chairwoman head chief deputy acting first foreign defence defense energy press presidential executive
general special assistant under senior leader premier officer advisor adviser counsellor counselor ombudsman
speaker member minister's official undersecretary high state senator congressman congresswoman sultan majesty
highness excellency dr mr mrs ms mme m herr frau señor señora außenminister außenministerin bundeskanzler
präsident präsidentin ministerpräsident sprecherin sprecher prinz ministro ministra canciller presidente
portavoz vicepresidente ministre président présidente porte-parole chancelier secrétaire príncipe coordinator
principal vorsitzende vorsitzender vors. srs srs’in srs'in sts stsin regierungssprecher regierungssprecherin президент
премьер-министр министр министра заместитель председатель пресс-секретарь посол губернатор глава официальный
представитель помощник советник руководитель
""".split())
# Both forms: .lower() keeps "ß", .casefold() makes it "ss".
ROLE_WORDS = _ROLE_WORDS | frozenset(w.casefold() for w in _ROLE_WORDS)
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "dr", "mme", "m", "herr", "frau", "señor", "señora", "sr", "sra", "г-н", "г-жа",
                        "shri", "smt", "shrimati"})
# Words of a role's object ("Coordinator for Strategic Communications John Kirby"): never part of a name.
ROLE_OBJECT_WORDS = frozenset("""
affairs communications communication relations security policy cooperation development trade defence defense
strategic economic foreign international national public diplomacy operations planning
""".split())
# A label's note that names the speaker's organisation: "Burger (AA)", "Collatz (BMVg)".
AFFILIATION_NOTE = re.compile(r"^(?=(?:[^A-ZÄÖÜ]*[A-ZÄÖÜ]){2})[A-ZÄÖÜ][A-Za-zÄÖÜäöü]{1,7}$")
# A turn that only gives the floor by name: "Aamer.", "Go ahead, Steve.", "Yes, Jacqui." (the last sentence).
FLOOR_CALL = re.compile(
    r"(?:^|[.!?]\s+)(?:(?:Yes|Okay|OK|Sure|Please|Go ahead|Next|And|Thanks|Thank you)\s*,?\s+)?"
    r"(?P<name>[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+)?)\s*[.!]?$"
)
NOT_A_CALL = frozenset({
    "thanks", "thank", "yes", "no", "okay", "ok", "sure", "right", "good", "great", "sorry", "exactly", "absolutely",
    "correct", "indeed", "well", "hi", "hello", "bye", "everybody", "everyone", "all", "next", "please", "nothing",
    "morning", "afternoon", "evening", "welcome", "guten", "tag", "morgen", "abend", "danke", "hallo",
    "willkommen", "bitte", "bonjour", "bonsoir", "merci", "bienvenue", "buenos", "buenas", "días", "tardes", "gracias",
    "hola", "bienvenidos", "здравствуйте", "добрый", "спасибо", "пожалуйста",
})

# Notes inside a label: (translated from Arabic), (перевод с английского), ...
TRANSLATED_FROM = re.compile(
    r"^(?:re)?translated from (?P<lang>[A-Za-z]+)$|^перевод с (?P<lang_ru>[а-яё]+)$|"
    r"^übersetzt aus dem (?P<lang_de>[A-Za-zäöüÄÖÜ]+)$|^übersetzt aus (?P<lang_de2>[A-Za-zäöüÄÖÜ]+)$|"
    r"^traducid[oa] del (?P<lang_es>[a-záéíóúñ]+)$|^tradu(?:it|ite) de l['’](?P<lang_fr>[a-zéè]+)$|"
    r"^tradu(?:it|ite) du (?P<lang_fr2>[a-zéè]+)$",
    re.IGNORECASE,
)
# Language names in those notes → ISO 639-1. Keys lower-cased.
LANGUAGE_NAMES: dict[str, str] = {}
for _code, _names in {
    "ar": "arabic арабского arabischen árabe arabe",
    "en": "english английского englischen inglés ingles anglais",
    "ru": "russian русского russischen ruso russe",
    "fr": "french французского französischen francés frances français",
    "de": "german немецкого deutschen alemán aleman allemand",
    "es": "spanish испанского spanischen español espagnol",
    "zh": "chinese китайского chinesischen chino chinois",
    "fa": "persian farsi персидского фарси persischen persa persan",
    "tr": "turkish турецкого türkischen turco turc",
    "ja": "japanese японского japanischen japonés japonais",
    "it": "italian итальянского italienischen italiano italien",
    "pt": "portuguese португальского portugiesischen portugués portugais",
    "ko": "korean корейского koreanischen coreano coréen",
    "hi": "hindi хинди",
    "he": "hebrew иврита hebräischen hebreo hébreu",
    "uk": "ukrainian украинского ukrainischen ucraniano ukrainien",
    "sr": "serbian сербского serbischen serbio serbe",
    "hy": "armenian армянского armenischen armenio arménien",
    "az": "azerbaijani азербайджанского aserbaidschanischen azerí azerbaïdjanais",
}.items():
    for _name in _names.split():
        LANGUAGE_NAMES[_name] = _code

ADDRESSED_TO = re.compile(
    r"^(?:for|to|addressed to|обоим|к|для|an|a|para|pour|à)\s+(?P<who>.+)$|^(?P<both>обоим министрам|обоим)$",
    re.IGNORECASE,
)
BOTH_WORDS = re.compile(
    r"^(?:both|all|обоим|всем|beide[nr]?|ambos|todos|les deux|tous)\b", re.IGNORECASE
)
AFTER = re.compile(
    r"^(?:speaking after|after|responding after|после|nach|después de|tras|après)\s+(?P<who>.+)$", re.IGNORECASE
)
# A possessive never begins a speaker's name ("Our Standards: ...", "My comment: ..."): text, not a label.
POSSESSIVES = frozenset({"our", "my", "your", "their", "its", "unser", "unsere", "mein", "meine", "notre", "nos",
                         "mon", "ma", "nuestro", "nuestra", "mi", "наш", "наша", "мой", "моя"})
TIMESTAMP_NOTE = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?$")
# Notes that stay in the label and set nothing.
PLAIN_LABEL_NOTES = re.compile(
    r"^(?:retranslated|как переведено|via interpreter|через переводчика|in english|in russian|по-английски|"
    r"по-русски|auf englisch|en inglés|en anglais|off-?mic|follow-up|continuing|cont(?:inued)?)$",
    re.IGNORECASE,
)

# --- document kinds from the title ---------------------------------------------------------------
# (kind, regex). press_conference wins wherever it stands; otherwise the earliest match in the title.
KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("press_conference", r"news conference|press conference|press availability|пресс-конференци\w*|"
     r"\w*[Pp]ressekonferenz|rueda de prensa|conferencia de prensa|conférence de presse"),
    ("briefing", r"briefing|брифинг\w*|Briefing|sesión informativa|point de presse|rueda informativa|"
     r"press gaggle|gaggle"),
    ("interview", r"interview|интервью|Interview|entrevista|entretien"),
    ("comment", r"comment|комментари\w*|Kommentar|comentario|commentaire|[Оо]твет\w* [^\n]{0,80}?на вопрос СМИ|"
     r"answer to a (?:media )?question"),
    ("statement", r"statements?|заявлени\w*|Erklärung|Stellungnahme|declaraci[oó]n\w*|déclaration\w*"),
    ("speech", r"speech|address|выступлени\w*|Rede|Ansprache|discurso|discours|allocution"),
    ("article", r"article|статья|стать[ия]|Artikel|artículo|tribune"),
    ("remarks", r"remarks|answers to (?:media |the )?questions|answers to questions|ответы на вопросы|"
     r"Antworten auf Fragen|respuestas a (?:las )?preguntas|réponses aux questions|Bemerkungen|observaciones"),
    ("meeting", r"meeting|talks|встреч\w*|переговор\w*|совещани\w*|Treffen|Gespräch\w*|reunión|"
     r"conversaciones|rencontre|entretiens"),
)
KIND_REGEXES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"(?<!\w)(?:{rx})(?!\w)", re.IGNORECASE)) for kind, rx in KIND_WORDS
)

# --- language identification (five languages, stopwords) ---------------------------------------
STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(["the", "and", "of", "to", "in", "is", "that", "we", "with", "for", "this", "are", "have", "on", "as", "it", "be", "our", "not", "by"]),
    "de": frozenset(["der", "die", "und", "das", "nicht", "ist", "mit", "den", "von", "wir", "zu", "auf", "für", "sich", "dem", "des", "eine", "ein", "auch"]),
    "es": frozenset(["el", "la", "los", "las", "de", "que", "y", "en", "los", "por", "con", "para", "una", "del", "es", "se", "al", "lo", "como"]),
    "fr": frozenset(["le", "la", "les", "de", "des", "et", "est", "que", "nous", "en", "pour", "une", "dans", "du", "sur", "avec", "pas", "qui", "au"]),
}
