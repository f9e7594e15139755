"""The English lexicon: word lists that tell an abbreviation's period from a final period.

The lists are the usual English abbreviations (titles and ranks, months, days, addresses,
company forms, units, Latin) and what the public English suites (pySBD's golden rules, UD
English EWT and GUM, see tests/cases/segment/README.md) showed.
"""

from __future__ import annotations

from .lexicon import Lexicon, words

# Forms of address and ranks: followed by a name, so never final. Case-sensitive ("Mt. Fuji",
# "St. Michael's", but "5th st." is a street that may end a sentence).
TITLES = words(
    """
    Mr Mrs Ms Messrs Mmes Mme Mlle Dr Drs Prof Profs Rev Revd Hon Msgr Fr Br Sr Sra Srta
    Gen Lt Col Maj Capt Cpt Cmdr Cdr Comdr Adm Brig Sgt Cpl Pvt Pte Supt Insp Det Gov Sen
    Rep Pres Amb Atty Mt Mts St Ste Ft Pt Sec Treas Ald Hr Dir
    """
)

# Abbreviations that introduce what follows: never final, whatever comes next.
NEVER_FINAL = words(
    """
    cf e.g i.e viz vs v approx appx pp paras figs eqs refs nos n° no° nr
    """
)

# Abbreviations that may also end a sentence: final before a usual sentence opener
# ("at 5 p.m. He left"), not before a name ("Pitt, Briggs & Co. Ltd", "5 a.m. Mr. Smith").
MAYBE_FINAL = words(
    """
    inc ltd co corp bros llc plc assn assoc dept depts univ govt natl intl
    jr sr esq phd md
    jan feb mar apr jun jul aug sep sept oct nov dec
    mon tue tues wed thu thur thurs fri sat sun
    ave blvd rd st sq ln hwy mt pl ct apt bldg fl ste
    est ed eds trans comp repr rev vol vols ch chap sec secs fig eq ref ex para pt pts
    min max misc mins hrs hr sec secs oz lb lbs ft in yd mi sq cu approx ca
    a.m p.m a.d b.c
    ibid op loc cit al
    """
)

# Final before any capital, never before a lower-case word or a number: "etc. They", "No. 5".
FINAL_BEFORE_CAPITAL = words("etc no nos et.al")

# Words that cannot end an English sentence: an ellipsis after them is a pause.
UNFINISHED = words(
    """
    the a an of to in on at by for with from into onto than and or but nor so as if that
    my your his her its our their this these those very more most
    """
)

EXCLAIMED_NAMES = words("Yahoo Jeopardy Wham Yum FRITZ Oklahoma")

# Capitalised words that usually open an English sentence. After an ambiguous abbreviation
# ("U.S.", "I.", "Inc.") a word from this list means a new sentence; a name does not.
# Contractions appear cut after their apostrophe ("I'", "Don'"), as the engine reads them.
SENTENCE_OPENERS = words(
    """
    The A An This That These Those It Its He She They We I You His Her Their Our My Your
    There Here What Who Whom Whose Which Where When Why How If In On At For But And Or So Yet
    Nor As After Before Since While Although Though Because Once Then Now Today Yesterday
    Tomorrow However Meanwhile Moreover Furthermore Therefore Thus Hence Also Still Even Only
    Just Do Does Did Is Are Was Were Will Would Can Could Should Shall May Might Must Have Has
    Had Let Please Thanks Thank Yes No Not Some Many Most All Each Every Both Neither Either
    Another Other Such Several Few Much More Less Any None Nothing Everything Everyone
    Everybody Someone Somebody Something Nobody To From With Without By Of Under Over Between
    During Through Into About Against Among Despite Unless Until Instead Perhaps Maybe Indeed
    Finally First Second Third Later Soon Again Never Always Often Sometimes Usually Well Oh
    Ah OK Okay Hi Hello Dear Sorry Sure Also Besides Otherwise Nevertheless Nonetheless
    Consequently Accordingly Similarly Likewise Certainly Clearly Of Then Whether Whatever
    Whoever Whenever Wherever Following According
    I' It' That' There' Here' What' Who' Where' How' Let' He' She' We' They' You' Don'
    Didn' Doesn' Can' Couldn' Won' Wouldn' Isn' Wasn' Aren' Weren' Haven' Hasn' Shouldn'
    """
)

NAME_PARTICLES = words(
    """
    Van Von Der Den De Del Della Di Da Du Dos Das Le La Les El Al Ben Ibn Mac Mc Saint St
    Ten Ter
    """
)

ENGLISH = Lexicon(
    language="en",
    titles=TITLES,
    never_final=NEVER_FINAL,
    maybe_final=MAYBE_FINAL,
    final_before_capital=FINAL_BEFORE_CAPITAL,
    unfinished=UNFINISHED,
    exclaimed_names=EXCLAIMED_NAMES,
    sentence_openers=SENTENCE_OPENERS,
    name_particles=NAME_PARTICLES,
    question_before_lower_ends=True,
)
