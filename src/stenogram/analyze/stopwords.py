"""Function words of each language the corpus is written in (articles, pronouns, prepositions,
conjunctions, auxiliary and modal verbs, particles), left out of the words an analysis ranks.

Only function words are listed: a word that carries meaning (``year``, ``année``, ``Jahr``) stays,
even when it is frequent. The lists are written as the words are spelled and folded here the way the
corpus counts words (lower case, accents dropped: ``année`` → ``annee``, ``мой`` → ``мои``)."""

from __future__ import annotations

from functools import cache

from stenogram.store.terms import fold

_LISTS: dict[str, str] = {
    "en": """
        a about above after again against all also am an and any are as at be because been before being
        below between both but by can could did do does doing down during each either even ever every few
        for from further had has have having he her here hers herself him himself his how however i if in
        into is it its itself just let may me might more most much must my myself neither no nor not now
        of off on once one only or other others our ours ourselves out over own per quite rather same
        shall she should since so some such than that the their theirs them themselves then there these
        they this those though through thus to too under until up upon us very was we were what whatever
        when where whether which while who whom whose why will with within without would yet you your
        yours yourself yourselves
    """,
    "ru": """
        а без более бы был была были было быть в вам вас весь во вот все всего всех вы где да даже для до
        его ее ей ему если есть еще же за здесь и из или им их к как какая какие какой ко когда
        которая которого которое которой котором которые который которых кто ли либо между меня мне много
        мы на над наш наша наше наши не него нее нет ни них но ну о об однако он она они оно от очень по
        под при про с со так также такой там те тем то того тоже той только том тот ту ты у уже хотя чего
        чей чем что чтобы чье эта эти это этого этой этом этот эту я
    """,
    "de": """
        aber alle allem allen aller alles als also am an andere anderen auch auf aus bei beim bin bis bist
        da damit dann das dass dein deine dem den denn der deren des dessen dich die dies diese diesem
        diesen dieser dieses dir doch dort du durch ein eine einem einen einer eines er es etwa euch euer
        für gegen habe haben hat hatte hätte ich ihm ihn ihnen ihr ihre ihrem ihren ihrer im in ist ja
        jede jedem jeden jeder jedes jedoch jene kann kein keine keinem keinen keiner können könnte man
        mehr mich mir mit muss müssen nach nicht noch nun nur ob oder ohne sehr sein seine seinem seinen seiner
        sich sie sind so solche soll sollen sollte sondern sowie über um und uns unser unsere unserem
        unseren unserer unter viel vom von vor war waren was weil welche welchem welchen welcher welches
        wenn wer werden wie wir wird wo wollen würde würden zu zum zur zwar zwischen
    """,
    "es": """
        a al algo algunos ante antes aquel aquella aquí así aunque bajo bien cada como con contra cual
        cuales cuando de del desde donde durante e el él ella ellas ellos en entre era eran es esa esas
        ese eso esos esta está están estamos estas este esto estos fue fueron ha había han hasta hay la
        las le les lo los más me mi mis mucho muy nada ni no nos nosotros nuestra nuestras nuestro
        nuestros o os otra otras otro otros para pero poco por porque que qué quien quienes se ser será
        si sí sido sin sino sobre somos son su sus también tan tanto te tiene tienen todo todos tu tú
        tus un una uno unos usted ustedes vosotros y ya yo
    """,
    "fr": """
        à afin ai aie ainsi alors as au aucun aura aurait aussi autre autres aux avaient avais avait avec
        avez avoir avons c ça ce ceci cela celle celles celui ces cet cette ceux chaque comme comment d dans de des
        donc dont du elle elles en encore entre est et étaient était été être eu eux fait il ils j je l
        la le les leur leurs lui m ma mais me même mes moi mon n ne ni nos notre nous on ont ou où par
        parce pas peu peut plus pour pourquoi qu quand que quel quelle quelles quels qui s sa sans se
        sera serait seront ses si sommes son sont sous suis sur t ta te tes toi ton tous tout toute toutes
        très tu un une vers vos votre vous y êtes
    """,
}


@cache
def stopwords(language: str | None) -> frozenset[str]:
    """The function words of a language, folded; those of every listed language for None or a
    language without a list (a comparison across languages leaves out each one's function words)."""
    if language in _LISTS:
        return frozenset(fold(w) for w in _LISTS[language].split())
    return frozenset().union(*(stopwords(code) for code in _LISTS))


LANGUAGES: tuple[str, ...] = tuple(_LISTS)
