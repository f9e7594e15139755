"""The French lexicon: word lists that tell an abbreviation's period from a final period.

The lists come from French typographic usage (Lexique des règles
typographiques de l'Imprimerie nationale), LanguageTool's French SRX rules and what the
evaluation corpora showed; each class decides differently what may follow the period.
"""

from __future__ import annotations

from .lexicon import Lexicon, words

# Titles and forms of address: always followed by the name they introduce, so never final.
# Case-sensitive: "Me" (maître) and "St" are titles, "me" and "st" are not.
TITLES = words(
    """
    M MM Mme Mmes Mlle Mlles Mgr Mgrs Me Mes Dr Drs Pr Prs Prof St Ste Sts Stes Vve Fr
    Mr Mrs Ms Messrs Sr Jr Gal Gén Cdt Col Cne Lt Lieut Sgt Adj Rév Révd Vén
    """
)

# Abbreviations that introduce what follows them (a page, a date, a reference): a sentence
# does not end on them, whatever comes next. "p.ex" stands for "p. ex.", seen as two tokens.
NEVER_FINAL = words(
    """
    cf cfr conf p.ex p.-ex ex c.-à-d c-à-d c.à.d c.-à-dire i.e e.g vs av apr pp op
    bd boul bld fg faub sq n.b n.-b p.s p.-s
    """
)

# Abbreviations that may also end a sentence: the period is final when the next word is a
# usual sentence opener ("… au XIXe s. Il …"), not when it is a name ("l'éd. Jean Marx").
MAYBE_FINAL = words(
    """
    abrév adj adm admin adr adv al alph ambass anc angl anglic anon ap app append arch arr
    assoc auj autom bibl bibliogr biol bull bur ca cat cath ch chap chim chir cit circ coll
    collab comm commiss compl conj coord corresp dactyl déc dém dép dépt dest dict dir div doc
    dom dupl éccl écon éd édit élect électr élém encycl env ép épît équiv esp ét étym éval excl
    exp fasc féd fém févr fév fig fl fol fr franç gén géogr géol géom gouv gr gramm hab hist
    hyp ibid id ill illustr imm imp impr inc incl ind inf ing inform intr introd inv it ital janv
    jr juil juill jur juris jurispr lat lég légis législ lett lib liv livr loc ltd masc math
    max méd mém mens métr mil min ms mss mus nat nb néerl néol nov obs oct paragr phil
    philo phot pl plur pol pop poss préf prép prés prob prod prog pron prop prov psych publ
    qqch qqn rad réd réf rel rép repr reprod resp rev rom sc scol sect sing soc sous-préf
    spéc sté subj suiv sup suppl supra symb syn tab tél téléph théol trad trim trib univ var
    vb vx zool inc corp bros co cie ste ets éts hon
    """
)

# After these the period is final before any capital ("etc. Il", "50 av. J.-C. César") but
# not before a number or a lower-case word ("art. 5", "vol. 2", "sept. 2020", "J.-C. en").
# Some are also plain words ("le vol.", "ils étaient sept.") that often end sentences.
# "J.-C." counts only after "av." or "apr.": elsewhere it is Jean-Claude's initials.
FINAL_BEFORE_CAPITAL = frozenset(
    {"etc", "art", "vol", "sept", "no", "nos", "av.j.-c", "apr.j.-c", "avantj.-c", "aprèsj.-c"}
)

# Words that cannot end a French sentence: an ellipsis after them is a pause, "Il pensait
# à... Marie.", unless a sentence opener follows.
UNFINISHED = words(
    """
    à au aux de du des d' le la les l' un une et ou mais avec pour par sur sous dans en chez
    vers sans entre ce cette ces mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs
    que qu' qui dont très plus si
    """
)

# Brand names written with a "!" that does not end the sentence ("Yahoo! News").
EXCLAIMED_NAMES = frozenset({"Yahoo", "Jeopardy", "Wham", "Yum", "FRITZ"})

# Words that usually open a French (or English) sentence. After an ambiguous abbreviation a
# capitalised word from this list means a new sentence; a capitalised name does not.
SENTENCE_OPENERS = words(
    """
    Le La Les L' Un Une Des Du De D' Ce Cet Cette Ces C' Ça Cela Ceci Celui Celle Ceux Celles
    Il Ils Elle Elles On Je J' Tu Nous Vous Y Mais Et Ou Donc Or Ni Car Puis Ensuite Enfin
    Alors Ainsi Pourtant Cependant Toutefois Néanmoins Certes Aussi Même Bien Déjà Encore
    Jamais Toujours Rien Personne Chaque Plusieurs Certains Certaines Aucun Aucune Tout Toute
    Tous Toutes En Dans Pour Par Sur Sous Avec Sans Selon Après Avant Depuis Pendant Lors Dès
    Vers Chez Entre Contre Malgré Si S' Quand Lorsque Lorsqu' Comme Parce Puisque Puisqu' Qu'
    Que Qui Quoi Quel Quelle Quels Quelles Où Son Sa Ses Leur Leurs Mon Ma Mes Ton Ta Tes
    Notre Nos Votre Vos Au Aux À Aujourd' Hier Demain Oui Non Voici Voilà Ici Là Désormais
    Cependant Peut Il N' Ne Pas Plus Moins Très Seul Seule Seuls Seules Autre Autres
    The This That These It He She We They In On At For But And A An If When
    """
)

# Capitalised words that follow an initial inside a name: "J. Le Goff", "C. De Gaulle".
NAME_PARTICLES = words(
    """
    Le La Les L' De Du Des D' Di Da Van Von Del Della Dos Das Den Der Ten Ter El Al Ben Ibn
    Mac Mc Saint Sainte
    """
)

FRENCH = Lexicon(
    language="fr",
    titles=TITLES,
    never_final=NEVER_FINAL,
    maybe_final=MAYBE_FINAL,
    final_before_capital=FINAL_BEFORE_CAPITAL,
    unfinished=UNFINISHED,
    exclaimed_names=EXCLAIMED_NAMES,
    sentence_openers=SENTENCE_OPENERS,
    name_particles=NAME_PARTICLES,
    question_before_lower_ends=False,
)
