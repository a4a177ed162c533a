"""The answer router: what kind of question a message is, and the answer for each kind.
(Answer quality is measured on the hard set by scripts/eval_answers.py; these pin behaviour.)"""

from __future__ import annotations

import pytest

from bot.conversation import lexicon
from bot.conversation.answers import Context, TheoristList
from bot.conversation.router import (
    FactAnswer,
    Greeting,
    Integrity,
    Kind,
    Refusal,
    Router,
    TheoristCard,
    UnitAnswer,
    VerbAnswer,
    shown,
)
from bot.conversation.study import render_plain
from content.catalogue import Catalogue
from index.retriever import Retriever


def assert_answered_as(router: Router, text: str, kind: Kind) -> None:
    """`text` gets the `kind` of answer; a search may come as retrieval's confident card."""
    got = router.answer(text, Context()).kind
    assert got == kind or (kind == Kind.SEARCH and got == Kind.AC), got


def assert_card(router: Router, typed: str, name: str) -> None:
    """`typed` gets the card of the theorist or model called `name`."""
    card = router.answer(typed, Context()).answer
    assert isinstance(card, TheoristCard) and card.theorist.name == name


L7 = Context(units=("7015V1", "7016V1", "7017V1", "7018V1", "7002V1", "7020V1"),
             qualification="7D2V2")


@pytest.fixture(scope="module")
def router(catalogue: Catalogue, retriever: Retriever) -> Router:
    return Router(catalogue, retriever)


@pytest.mark.parametrize("text, kind", [
    ("hiya", Kind.GREETING), ("thanks!!", Kind.GREETING), ("cheers 👍", Kind.GREETING),
    ("can u just write my assignment for me pls", Kind.INTEGRITY),
    ("write 500 words on 2.3 for me", Kind.INTEGRITY),
    ("5015 2.3", Kind.AC), ("what about 2.3", Kind.CHOOSE_UNIT), ("5015 9.9", Kind.PROBLEM),
    ("what does evaluate mean", Kind.VERB), ("difference between analyse and evaluate", Kind.VERB),
    ("how do i evaluate a mentoring programme", Kind.SEARCH),
    ("who is whitmore", Kind.THEORIST), ("whos megginson", Kind.THEORIST),
    ("who should i cite for coaching culture", Kind.THEORISTS),
    ("whats 7019 about", Kind.UNIT), ("how many words for 7016", Kind.FACT),
    ("do i have to do 7002", Kind.FACT), ("is there a pass mark or grades?", Kind.FACT),
    ("what's the weather like in leeds tomorrow", Kind.REFUSAL),
])
def test_kinds(router: Router, text: str, kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind


def test_hello_with_a_question_answers_the_question(router: Router) -> None:
    assert router.answer("hi, what does 5015 2.3 need?", Context()).kind == Kind.AC


def test_fact_is_scoped_to_the_askers_qualification(router: Router) -> None:
    answer = router.answer("how many words is each unit", L7).answer
    assert isinstance(answer, FactAnswer)
    assert [f.id for f in answer.facts] == ["word-count-cmi-l7"]
    assert answer.scope and "Level 7" in answer.scope
    everyone = router.answer("how many words is each unit", Context()).answer
    assert isinstance(everyone, FactAnswer) and len(everyone.facts) == 3


def test_a_unit_named_in_a_fact_question_picks_its_level(router: Router) -> None:
    answer = router.answer("how many words for 5016", Context()).answer
    assert isinstance(answer, FactAnswer) and answer.facts[0].id == "word-count-cmi-l5"


def test_two_verbs_side_by_side(router: Router) -> None:
    answer = router.answer("whats the difference between analyse and evaluate", Context()).answer
    assert isinstance(answer, VerbAnswer)
    assert [v.verb for v in answer.verbs] == ["analyse", "evaluate"]


@pytest.mark.parametrize("typed, name", [("who is whitmore", "John Whitmore"),
                                         ("whats kolb", "David Kolb"),
                                         ("what do they mean by golden thread", "Golden Thread"),
                                         ("who is clutterbok", "David Clutterbuck"),
                                         # models' whole names, typos and all
                                         ("balanced scorcard explained", "Balanced scorecard"),
                                         ("mckinsy 7s", "McKinsey 7S"),
                                         ("tell me about the adkar modle", "ADKAR model"),
                                         ("what is the balogun and hope haley thing",
                                          "Balogun and Hope Hailey")])
def test_theorist_cards_by_any_spelling(router: Router, typed: str, name: str) -> None:
    answer = router.answer(typed, Context()).answer
    assert isinstance(answer, TheoristCard) and answer.theorist.name == name


def test_theorists_for_coaching_culture_come_from_the_sentence_about_it(router: Router) -> None:
    understood = router.answer("who should i cite for coaching culture", Context())
    assert isinstance(understood.answer, TheoristList)
    assert set(shown(understood)[1][:3]) == {"Megginson and Clutterbuck", "Alison Hardingham",
                                             "Jane Caplan"}


def test_free_questions_stay_in_the_askers_qualification(router: Router) -> None:
    understood = router.answer("my team dont really buy into coaching, where does that go", L7)
    acs, _ = shown(understood)
    level_7 = set(L7.units) | {"6001V1", "6004V1", "7010V1", "7019V1"}
    assert acs and all(key.split()[0] in level_7 for key in acs)


def test_off_topic_refusal_names_the_askers_qualification(router: Router) -> None:
    understood = router.answer("best lasagne recipe", L7)
    assert isinstance(understood.answer, Refusal) and understood.answer.qualification
    assert understood.answer.qualification.code == "7D2V2"


# -- mechanisms added for the fourth set's failure classes (issue 10); examples are our own ------

@pytest.mark.parametrize("typed", ["best walking routes in the lake district",
                                   "what is the weather window for sunday"])
def test_everyday_words_match_no_name(router: Router, typed: str) -> None:
    assert router.find_theorist(typed) is None


def test_a_where_does_it_go_question_is_not_a_name_lookup(router: Router) -> None:
    assert router.answer("where do i explain adkar", Context()).kind == Kind.SEARCH


@pytest.mark.parametrize("text, verb", [("evaluate?? how far do i go with it", "evaluate"),
                                        ("how detailed should i be to describe", "describe"),
                                        ("identify, is that command word just a list", "identify"),
                                        ("recommend - is one option enough", "recommend"),
                                        ("analyse, so do i need numbers", "analyse"),
                                        ("my ac opens with justify, how much", "justify"),
                                        ("is evaluate just a fancy word for judge", "evaluate")])
def test_verb_questions_without_the_word_mean(router: Router, text: str, verb: str) -> None:
    answer = router.answer(text, Context()).answer
    assert isinstance(answer, VerbAnswer) and [v.verb for v in answer.verbs] == [verb]


@pytest.mark.parametrize("text", ["how much detail for my development plan",
                                  "how far do i go to evaluate my mentoring scheme"])
def test_a_verb_with_its_object_is_not_a_verb_question(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind != Kind.VERB


@pytest.mark.parametrize("text, kind", [
    ("hello, just joined this cohort", Kind.GREETING), ("hiya how are you", Kind.GREETING),
    ("hey all, my name is priya", Kind.GREETING),
    ("hi im new, what does 5015 2.3 need", Kind.AC),
    ("hey my coachee keeps missing sessions", Kind.SEARCH),
])
def test_a_greeting_with_small_talk_is_greeted(router: Router, text: str, kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind


@pytest.mark.parametrize("text", ["can u book a coach to york for saturday",
                                  "rugby coaching for the under 12s any tips",
                                  "is a dating coach worth the money",
                                  "how do i become a personal trainer"])
def test_the_courses_words_in_an_everyday_sense_are_refused(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind == Kind.REFUSAL


@pytest.mark.parametrize("text", ["how do i train my team leaders to coach",
                                  "our organisation bought a mentoring app for staff, how do i "
                                  "evaluate it"])
def test_the_course_outweighs_an_everyday_word(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind in (Kind.AC, Kind.SEARCH)


def test_asking_which_ac_shows_candidates_instead_of_refusing(router: Router) -> None:
    situation = "the cat knocked my plant off the windowsill"
    assert router.answer(situation, Context()).kind == Kind.REFUSAL
    placed = router.answer(f"{situation}, which ac lets me write about that", Context())
    assert placed.kind == Kind.SEARCH and shown(placed)[0]
    short = router.answer(f"{situation} bit where", Context())
    assert short.kind == Kind.SEARCH and shown(short)[0]


def test_naming_a_unit_shows_candidates_instead_of_refusing(router: Router) -> None:
    situation = "we swapped the rota software in spring and overtime went through the roof"
    named = router.answer(f"{situation} is that ok for 7016", Context())
    assert named.kind in (Kind.AC, Kind.SEARCH)
    assert router.answer(f"{situation} is that ok for 7099", Context()).kind == Kind.PROBLEM


@pytest.mark.parametrize("text, topic", [
    ("resistance to change 5015, what models do they mention", "resistance to change 5015"),
    ("peer learning sets who am i meant to reference", "peer learning sets"),
    ("problem solving theorists for 7010", "problem solving 7010"),
    ("who should i cite for coaching culture", "coaching culture")])
def test_theorists_for_a_topic_are_headed_by_the_topic_not_the_question(
        router: Router, text: str, topic: str) -> None:
    understood = router.answer(text, Context())
    assert isinstance(understood.answer, TheoristList) and understood.answer.topic == topic


def test_theorists_for_a_topic_name_the_acs_whose_guidance_cites_them(router: Router) -> None:
    understood = router.answer("resistance to change 5015, what models do they mention",
                               Context())
    acs, names = shown(understood)
    assert acs[0] == "5015V1 2.2" and "Kurt Lewin" in names
    assert all(name in {t.name for k in acs
                        for t in router.catalogue.theorists if k in t.cited_in}
               for name in names)


def test_asking_which_ac_is_not_a_fact_question(router: Router) -> None:
    assert router.answer("how many coaching hours do i log", Context()).kind == Kind.FACT
    assert router.answer("logged 14 hours with two coachees, which ac covers that",
                         Context()).kind in (Kind.AC, Kind.SEARCH)


def test_made_up_means_invented_only_as_a_request(router: Router) -> None:
    promoted = "my manager got made up to director, can i write about how she mentored me"
    assert router.answer(promoted, Context()).kind in (Kind.AC, Kind.SEARCH)
    assert router.answer("can you make up some quotes for my reflection",
                         Context()).kind == Kind.INTEGRITY


def test_a_named_model_for_something_asks_where_it_fits(router: Router) -> None:
    named = router.answer("adkar model for getting my staff through the restructure", Context())
    assert named.kind in (Kind.AC, Kind.SEARCH) and shown(named)[0]
    assert router.answer("any models for coaching culture", Context()).kind == Kind.THEORISTS


# -- mechanisms added for the sixth set's failure classes (issue 10); examples are our own -------

@pytest.mark.parametrize("typed, name", [("schien levels of culture?", "Edgar Schein"),
                                         ("revens who was he", "Reg Revans"),
                                         ("kirkpatrik in a nutshell", "Donald Kirkpatrick"),
                                         ("mcgreggor x and y in simple terms pls",
                                          "Douglas McGregor")])
def test_names_a_typo_or_two_away_and_plain_words_asks(router: Router, typed: str,
                                                       name: str) -> None:
    answer = router.answer(typed, Context()).answer
    assert isinstance(answer, TheoristCard) and answer.theorist.name == name


@pytest.mark.parametrize("text", ["what is the scheme", "our scheme is struggling"])
def test_an_everyday_word_near_a_name_is_not_the_name(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind != Kind.THEORIST


@pytest.mark.parametrize("text, kind", [
    ("how many words for a level 7 unit", Kind.FACT),
    ("is the word count lower for a level 6 unit", Kind.FACT),
    ("how many guided hours is 7016", Kind.FACT),
    ("is the cmi level 3 award easier", Kind.REFUSAL),
    ("should i do a levels first", Kind.REFUSAL),
    ("cheers thats sorted it", Kind.GREETING),
    ("thanks that helped", Kind.GREETING),
    ("justify is that just giving reasons", Kind.VERB),
    ("assess in my 5017 unit how do i handle that word", Kind.VERB),
    ("can u make my 5015 reflection longer, i need 500 more", Kind.INTEGRITY),
    ("can you reword her essay so it passes as mine", Kind.INTEGRITY),
    ("what is the 7019 unit about, the embedding one", Kind.UNIT),
    ("whats the action learning unit about", Kind.UNIT),
    ("aims of the equality and diversity unit", Kind.UNIT),
    ("which motivation theories am i meant to compare in 7002", Kind.THEORISTS),
    ("what mentoring models can i use for my mentee's career", Kind.THEORISTS)])
def test_shapes_learners_use(router: Router, text: str, kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind


def test_a_credit_in_hours_is_the_credit_fact(router: Router) -> None:
    answer = router.answer("how many hours is a credit worth", L7).answer
    assert isinstance(answer, FactAnswer)
    assert any("10 hours" in f.answer for f in answer.facts)


def test_theorists_for_an_ac_are_its_list(router: Router) -> None:
    understood = router.answer("who shud i cite for 7015 2.1", Context())
    assert understood.kind == Kind.THEORISTS and shown(understood)[0] == ["7015V1 2.1"]


def test_theorists_in_an_ilm_unit_come_from_its_indicative_content(router: Router) -> None:
    understood = router.answer("d5.03 what models can i use for learning styles", Context())
    acs, names = shown(understood)
    assert understood.kind == Kind.THEORISTS and acs == [] and "Honey and Mumford" in names
    assert isinstance(understood.answer, TheoristList)
    assert understood.answer.sources[0] == "D5.03 indicative content"


# -- mechanisms added for the seventh set's failure classes (issue 10); examples are our own -----

@pytest.mark.parametrize("text, kind", [
    ("ok cool", Kind.GREETING), ("haha ok", Kind.GREETING),
    ("whats the diff between describe and explain", Kind.VERB),
    ("justify = give reasons?", Kind.VERB),
    ("what does assess mean in 5017 3.3", Kind.VERB),
    ("im 300 words under on 5019 could you bulk it out", Kind.INTEGRITY),
    ("invent a coachee for my 5017 diary", Kind.INTEGRITY),
    ("generate some citations for my essay even tho i havent read them", Kind.INTEGRITY),
    ("what research should i look at from the cipd on coaching", Kind.THEORISTS),
    ("which motivation theories does 7002 name", Kind.THEORISTS),
    ("who do they recommend for the ethics ac in 7016", Kind.THEORISTS),
    ("change theory people for 5015 2.2", Kind.THEORISTS),
    ("kotter quick summary", Kind.THEORIST),
    ("7016 overview pls just started", Kind.UNIT),
    ("is 7019 optional", Kind.FACT),
    ("can i just submit my friends essay in with my name", Kind.INTEGRITY),
    ("finish off my pdp for me im shattered", Kind.INTEGRITY),
    ("can you coach me through my wedding planning", Kind.REFUSAL),
    ("is the train or the coach quicker to leeds", Kind.REFUSAL),
    ("is cipd better than this course", Kind.REFUSAL),
    ("cheers thats brill", Kind.GREETING), ("just testing", Kind.GREETING),
    ("is this working?", Kind.GREETING),
    ("scheen?? is that the culture guy", Kind.THEORIST),
    ("how long do i get to complete the ilm one", Kind.FACT),
    ("describe or explain which is longer", Kind.VERB),
    ("could you possibly write my reflection, i'll tweak it", Kind.INTEGRITY),
    ("my assessor wont check, fill in my diary hours for me", Kind.INTEGRITY),
    ("influencing models 7002 which ones does it want me to use", Kind.THEORISTS),
    ("learning theorys for 5016", Kind.THEORISTS),
    ("is there a tool named in 7017 for measuring coaching", Kind.THEORISTS)])
def test_more_shapes_learners_use(router: Router, text: str, kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind


@pytest.mark.parametrize("text", ["the emcc code of ethics where do i put that",
                                  "my myers briggs results, where do they go"])
def test_asking_where_something_goes_is_never_refused(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind in (Kind.AC, Kind.SEARCH)


def test_optional_asks_about_units_only_when_it_is_about_units(router: Router) -> None:
    asked = "in the stakeholder bit can i use a power interest grid or is that optional"
    assert router.answer(asked, Context()).kind != Kind.FACT


# Shapes no pattern reads, which the kind model (index/kinds.py) hears: each of these gets
# another kind (retrieval's) with the model switched off.
@pytest.mark.parametrize("text, kind", [
    ("is kubler-ross's curve still any use for change work", Kind.THEORIST),
    ("honey n mumford learning styles r they a load of rubbish", Kind.THEORIST),
    ("i put describe but my tutor wanted analyse", Kind.VERB),
    ("what am i getting myself into with 7017", Kind.UNIT),
    ("does the 12 hrs of coaching for the ilm have to be with different people", Kind.FACT),
    ("my firm wont pay for my course fees, can i claim tax back", Kind.REFUSAL),
    ("nite all, chat tmrw", Kind.GREETING),
])
def test_the_kind_model_reads_what_no_pattern_does(router: Router, retriever: Retriever,
                                                   monkeypatch: pytest.MonkeyPatch, text: str,
                                                   kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind
    monkeypatch.setattr(retriever, "kind_model", None)
    assert router.answer(text, Context()).kind != kind


def test_a_learned_goodbye_says_bye_and_a_verb_answer_names_both_verbs(router: Router) -> None:
    bye = router.answer("nite all, chat tmrw", Context()).answer
    assert isinstance(bye, Greeting) and bye.said == "bye"
    verbs = router.answer("i put describe but my tutor wanted analyse", Context()).answer
    assert isinstance(verbs, VerbAnswer)
    assert [v.verb for v in verbs.verbs] == ["describe", "analyse"]


# A pattern's verdict the kind model is sure is wrong ("review dates" is not the regulation
# dates fact, "make up for" not a request to fake work, an MBA named in passing not another
# course to refuse): with the model switched off, the pattern's kind comes back.
@pytest.mark.parametrize("text, pattern, kinds", [
    ("how should i set up my mentee's goals and review dates", Kind.FACT,
     {Kind.AC, Kind.SEARCH}),
    ("if i ace the first section of the ilm work can it make up for a poor second section",
     Kind.INTEGRITY, {Kind.FACT}),
    ("my MBA module on leadership overlaps with this, how do i show the link between coaching "
     "and our company strategy", Kind.REFUSAL, {Kind.AC, Kind.SEARCH}),
])
def test_the_kind_model_overrules_a_pattern_it_is_sure_is_wrong(
        router: Router, retriever: Retriever, monkeypatch: pytest.MonkeyPatch, text: str,
        pattern: Kind, kinds: set[Kind]) -> None:
    assert router.answer(text, Context()).kind in kinds
    monkeypatch.setattr(retriever, "kind_model", None)
    assert router.answer(text, Context()).kind == pattern


@pytest.mark.parametrize("text, kind", [
    ("where in 5017 does kolb go", Kind.SEARCH),  # placing a model is retrieval's
    ("kotter or lewin for my change essay", Kind.SEARCH),  # two names: not one card
    ("6004 3.2 what do i write", Kind.AC),  # never read as a request for the work
])
def test_the_kind_model_does_not_take_what_is_retrievals(router: Router, text: str,
                                                        kind: Kind) -> None:
    assert router.answer(text, Context()).kind == kind


@pytest.mark.parametrize("text, kind", [
    ("thinking of 6001 as my group b option, what does it cover", Kind.UNIT),
    ("5016 summary in a few lines", Kind.UNIT),
    ("where does the summary of findings go in 7018", Kind.SEARCH),
    ("justify in 7010, how much do i need to say", Kind.VERB),
    ("the 6004 one says conduct, do i actually have to go and do it", Kind.VERB),
    ("are you a real person or a bot", Kind.GREETING),
    ("night night, off to bed", Kind.GREETING),
    ("i used chatgpt for my draft, how do i get it past the ai detector", Kind.INTEGRITY),
    ("anyone know a site where i can pay for a 5015 assignment", Kind.INTEGRITY),
    # Not buying an assignment; who pays for a resubmission is in no source, so not a fact
    # either (it once got the general assessment fact, which does not answer it).
    ("can my company pay for the assignment resubmission", Kind.REFUSAL),
    ("how do i make my reflective log sound like me and not a textbook", Kind.SEARCH),
    ("is it 3000 words for 7016", Kind.FACT),  # a word count asked, not an essay ordered
    ("500 words on coaching culture pls", Kind.INTEGRITY),
    ("paraphrase this paragraph from my friends old 5016 essay so it doesnt flag", Kind.INTEGRITY),
    ("where can i buy a level 5 coaching essay", Kind.INTEGRITY),
    ("can i reuse my mates assignment and change the names", Kind.INTEGRITY),
    ("can u turn my notes into 12 hours of coaching logs", Kind.INTEGRITY),
    ("how do i get my draft past the ai detector", Kind.INTEGRITY),
    ("barriers to coaching at work and how to get round them", Kind.SEARCH),
    ("will my essay get flagged by turnitin if i quote a lot", Kind.FACT),
    ("tell us wot 5019 covers", Kind.UNIT),
    ("scope of 7017 please", Kind.UNIT),
    ("6001 in three lines", Kind.UNIT),
    ("whats fifty seventeen about in plain english", Kind.UNIT),
    ("what is three point three asking for", Kind.CHOOSE_UNIT),
    ("my credit score dropped 40 points, why", Kind.REFUSAL),
    ("i mentor pilots at a flight school and one is my cousin, where does that go", Kind.SEARCH),
    ("cheapest flights to malaga", Kind.REFUSAL),
    ("where do i show ive done my hours of actual coaching and kept notes", Kind.SEARCH),
    ("honey and mumford, is that still credible at level 7", Kind.THEORIST),
    # one name, though "clutterbuck" alone is another theorist's spelling
    ("megginson and clutterbuck, are they legit to cite", Kind.THEORIST),
    ("is it ok to cite kolb for reflection in d5.02", Kind.THEORIST),
])
def test_unit_verb_greeting_and_integrity_shapes(router: Router, text: str, kind: Kind) -> None:
    assert_answered_as(router, text, kind)


def test_a_model_told_by_its_parts_gets_its_card(router: Router) -> None:
    card = router.answer("the window with open blind hidden and unknown bits, whats that called",
                         Context()).answer
    assert isinstance(card, TheoristCard) and card.theorist.name == "Johari window"


def test_a_name_the_course_cites_is_not_an_everyday_sense(router: Router) -> None:
    card = router.answer("adkar, what do the letters stand for? on the train home lol",
                         Context()).answer
    assert isinstance(card, TheoristCard) and card.theorist.name == "ADKAR model"
    assert router.answer("booking a coach to york", Context()).kind == Kind.REFUSAL


def test_a_model_asked_for_by_its_parts_and_whose_it_is(router: Router) -> None:
    card = router.answer("whose model is awareness desire knowledge ability reinforcement",
                         Context()).answer
    assert isinstance(card, TheoristCard) and card.theorist.name == "ADKAR model"


@pytest.mark.parametrize("typed, name", [
    ("the emotional intelligence fella", "Daniel Goleman"),  # described, not named
    ("experiential learning cycle guy", "David Kolb"),
    ("activist reflector theorist pragmatist, whose are they", "Honey and Mumford"),
    ("mc gregor", "Douglas McGregor"),  # a name typed as two words
    ("hof stede", "Geert Hofstede"),
    ("kolbs L = experience?", "David Kolb"),  # a formula is not words about the name
    ("lewin B = f ( P , E )", "Kurt Lewin"),
    ("the two factor hygiene motivators guy?", "Frederick Herzberg"),  # a weaker match
])
def test_a_theorist_described_split_or_told_by_a_formula_gets_the_card(
        router: Router, typed: str, name: str) -> None:
    assert_card(router, typed, name)


def test_a_person_in_a_learners_situation_is_not_a_theorist(router: Router) -> None:
    assert router.answer("the new guy on my team wont take feedback, how do i coach him",
                         Context()).kind in (Kind.AC, Kind.SEARCH)


@pytest.mark.parametrize("text, kind", [
    ("would you mind drafting my 5016 reflection", Kind.INTEGRITY),
    ("could you provide the full answers for 7016", Kind.INTEGRITY),
    ("how can i get my sister to write my log without my tutor noticing", Kind.INTEGRITY),
    ("can i sign the attendance sheet as him, he forgot", Kind.INTEGRITY),
    ("send me a complete essay for 7019 and i'll reword it", Kind.INTEGRITY),
    ("could you invent my coachee's feedback", Kind.INTEGRITY),
    ("can i submit in his old assignment if i update the dates", Kind.INTEGRITY),
    ("can you give me an answer on whether 7016 is mandatory", Kind.FACT),
    ("should i change the names of my coachees for confidentiality", Kind.SEARCH),
    ("would you mind explaining 7018 1.2", Kind.AC),
    ("how do i give feedback without my team feeling criticised", Kind.SEARCH),
    ("tell me a bit about 7017 before i choose it", Kind.UNIT),
    ("7016, is that the policies one? what else is in it", Kind.UNIT),
    ("what is the diversity one at level 7 about, 6004", Kind.UNIT),
    ("shwmae", Kind.GREETING),
    ("bore da pawb", Kind.GREETING),
    ("ay up me duck", Kind.GREETING),
    ("gracias", Kind.GREETING),
    ("our kid is doing 7016 too, which ac is the pdp one", Kind.SEARCH),
    ("which frameworks are in 7010 3.1", Kind.THEORISTS),
    ("5015 2.3 models", Kind.THEORISTS),
])
def test_requests_greetings_and_model_lists_in_more_words(router: Router, text: str,
                                                          kind: Kind) -> None:
    assert_answered_as(router, text, kind)


@pytest.mark.parametrize("dictated, typed", [
    ("so um where do i update my pdp question mark", "so where do i update my pdp?"),
    ("erm what does seven oh ten three point one need full stop", "what does 7010 3.1 need."),
    ("hiya comma thanks so much exclamation mark", "hiya, thanks so much!"),
    ("thanks @studybot you are a star", "thanks you are a star"),  # a group's mention
    ("@jo_smith says 7017 is all about budgets, is that right @studybot",
     "says 7017 is all about budgets, is that right"),
])
def test_a_voice_note_or_a_mention_is_answered_as_its_typed_words(
        router: Router, dictated: str, typed: str) -> None:
    spoken, written = router.answer(dictated, Context()), router.answer(typed, Context())
    assert spoken.kind == written.kind and shown(spoken) == shown(written)


@pytest.mark.parametrize("typed, name", [
    ("is belbin still legit or a bit old hat", "Meredith Belbin"),
    ("is maslo the right one for motivation in my essay", "Abraham Maslow"),  # typo'd
    ("herzburg, is that a proper reference", "Frederick Herzberg"),
])
def test_a_name_judged_gets_its_card(router: Router, typed: str, name: str) -> None:
    assert_card(router, typed, name)


@pytest.mark.parametrize("text", ["legit ways to get my team to open up",
                                  "is it ok for my pdp to be a table"])
def test_a_judgement_of_no_name_is_a_course_question(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind in (Kind.AC, Kind.SEARCH)


L5_DIPLOMA = Context(units=("5001V1", "5014V1", "5015V1"), qualification="5D2V2")


def test_an_ac_number_guessed_at_leaves_the_question_to_its_words(router: Router) -> None:
    ruled_out = router.answer("i know 1.1 is the skills bit, but where do i update my "
                              "development plan after a review", L5_DIPLOMA)
    assert shown(ruled_out)[0][0] == "5001V1 3.3"  # not the 1.1 it rules out, nor a unit choice
    guessed = router.answer("resistance from line managers to coaching, 2.3 i think? unless "
                            "its 2.4", Context(units=("7020V1",)))
    assert guessed.kind == Kind.SEARCH and shown(guessed)[0][0] == "7020V1 2.3"
    # Someone else's guess and the learner's own: the words decide, not the first number.
    quoted = router.answer("priya reckons the ethics statement for our programmes is 4.1 in "
                           "7020, i think its 1.5", Context(units=("7020V1",)))
    assert quoted.kind in (Kind.AC, Kind.SEARCH) and shown(quoted)[0][0] == "7020V1 1.6"
    # Numbers and nothing to say what they are about stay a reference to resolve.
    bare = router.answer("is that 2.1 or 2.2", Context(units=("7019V1", "7020V1")))
    assert bare.kind == Kind.CHOOSE_UNIT


def test_an_emails_courtesies_are_not_the_question(router: Router) -> None:
    unit = router.answer("Dear bot, I hope you are well. What does 5015 cover? Kind regards, Sam",
                         Context())
    assert unit.kind == Kind.UNIT
    assert router.answer("Hello there, just saying hello, im new on the cmi course",
                         Context()).kind == Kind.GREETING
    assert router.answer("Hello, is this the study assistant for the coaching course?",
                         Context()).kind == Kind.GREETING
    assert lexicon.without_courtesies("which coaching model is best") == (
        "which coaching model is best")  # "best" is a sign-off only after a stop or comma


@pytest.mark.parametrize(("text", "code"), [
    ("overview of the coaching policies unit please", "7016V1"),
    ("what is the mentoring practice and theory unit about", "5018V1"),
    ("aims of the reviewing own ability unit", "D5.02"),
])
def test_a_unit_named_by_its_title(router: Router, text: str, code: str) -> None:
    understood = router.answer(text, Context())
    assert isinstance(understood.answer, UnitAnswer) and understood.answer.unit.code == code


def test_a_unit_title_shared_by_two_units_names_neither(router: Router) -> None:
    assert router.answer("what does the organisational culture unit cover",
                         Context()).kind != Kind.UNIT


@pytest.mark.parametrize("text, kind", [
    ("could you write me roughly 2000 words on 7016", Kind.INTEGRITY),
    ("i missed two sessions, can you make supervision notes that look genuine", Kind.INTEGRITY),
    ("give me an intro for 5018 1.1 i can stick straight in", Kind.INTEGRITY),
    ("where do i stick the action plan in 5016", Kind.SEARCH),  # not a request for the work
    ("as her tutor what is 7017 going to involve", Kind.UNIT),
    ("as his mentor, what's 6004 gonna cover for him", Kind.UNIT),
    ("my apprentice gets 150 hours of tuition for the L5 certificate, is that enough?",
     Kind.FACT),
    ("we timetable 90 hrs for the level 7 award, is that under what's required", Kind.FACT),
    ("goodbye in welsh?", Kind.REFUSAL),
    ("how do you say thanks in urdu", Kind.REFUSAL),
    ("diolch", Kind.GREETING),
    ("what does deming's P D C A stand for", Kind.THEORIST),
    # politer requests, and verb, theorists and fact shapes in returners' and centres' words
    ("Would it be acceptable for you to prepare my reflective account on my behalf?",
     Kind.INTEGRITY),
    ("would it be ok if you wrote section 2 and i did the rest", Kind.INTEGRITY),
    ("is it alright if i ask you to produce my conclusion and i read it through", Kind.INTEGRITY),
    ("how do i prepare for my first coaching session", Kind.SEARCH),
    ("how 'assess' differs from 'evaluate'", Kind.VERB),
    ("refs for resistance to change?", Kind.THEORISTS),
    ("do ref lists count in the 2500", Kind.FACT),
    ("what happens if i fail a module", Kind.FACT),
    ("can i study the level 7 from home", Kind.FACT),
    # round eight: from the eighteenth set's misses, in our own words
    ("would it be alright if you filled out my supervision log for sessions i never recorded",
     Kind.INTEGRITY),
    ("can u expand my notes into 800 words for 5018", Kind.INTEGRITY),
    ("stretch my 7019 up to 3000 pls", Kind.INTEGRITY),
    ("do my diversity module task 1", Kind.INTEGRITY),
    ("how do i expand my conclusion without waffling", Kind.SEARCH),
    ("Good morning, I hope this is the right group to ask questions.", Kind.GREETING),
    ("my assessor wants me to critically evaluate, how is that different from describing",
     Kind.VERB),
    ("task 2 says analyse the barriers, how deep do i go", Kind.VERB),
    ("for the policies unit who should we be citing", Kind.THEORISTS),
    ("which authors 7016 suggests for recognising mentors", Kind.THEORISTS),
    ("could i take 6004 on its own", Kind.FACT),
    ("will the level 5 certificate still be around in 2027", Kind.FACT),
    ("what is covered in 7002", Kind.UNIT),
    ("got 12/30 for planning my sessions, is that a referral", Kind.FACT),
    # learners writing in a second language, and a group chat's hello
    ("I need that you make the reflective log for me", Kind.INTEGRITY),
    ("can you making my essay more long", Kind.INTEGRITY),
    ("send me a model 5018 answer, i will change some words", Kind.INTEGRITY),
    ("can u give me a 2.3 answer i can send my tutor tonight", Kind.INTEGRITY),
    ("I need to make my reflective log longer, what else can go in it", Kind.SEARCH),
    ("hello everyone, good morning from Leeds", Kind.GREETING),
    # from the nineteenth set's misses, in our own words
    ("my tutor hated my intro for 7016, could u write me a stronger one", Kind.INTEGRITY),
    ("can i copy your answer about action learning straight into my 5019?", Kind.INTEGRITY),
    ("send me a finished pdp i can submit", Kind.INTEGRITY),
    ("3000 words for 7017 due tomorrow. please do it", Kind.INTEGRITY),
    ("who was the goddess in the odyssey that mentor was", Kind.REFUSAL),
    ("6001 measuring culture, which tools does the guidance give", Kind.THEORISTS),
    # round nine: from the twentieth set's misses, in our own words
    ("hand in is thursday, what does 5016 2.2 want", Kind.AC),  # a deadline, not a request
    ("kolb cycle quick recap, hand in tmrw", Kind.THEORIST),
    ("would it be ok if you wrote his 5019 reflection and he checks it", Kind.INTEGRITY),
    ("what would a merit-standard essay for 7016 look like word for word", Kind.INTEGRITY),
    ("do you mind having a crack at my 5015 report", Kind.INTEGRITY),
    ("can you write the 7019 plan, I'd only use it as a starting point for my assignment",
     Kind.INTEGRITY),
    ("send me a finished coaching strategy so we can just change the company name",
     Kind.INTEGRITY),
    ("write something for 7017 2.1 that sounds like a real person wrote it", Kind.INTEGRITY),
    ("can you explain what a coaching policy covers so i can put our company name on the front",
     Kind.SEARCH),
    ("kaizen thing, what is it", Kind.THEORIST),
    ("ilm unit 2 what's it about", Kind.UNIT),
    ("what is the performance management strategies unit about", Kind.UNIT),
    ("coach hire firms for our away day", Kind.REFUSAL),
    ("we use our team away day for group coaching, which 5014 AC is that", Kind.SEARCH),
    ("i got 9 out of 16 on the barriers bit of my ilm assignment and the tutor says i've "
     "failed, is that right", Kind.FACT),
    ("ilm diary, which learning inventories can i use", Kind.THEORISTS),
    ("my smart tv won't connect to wifi", Kind.REFUSAL),  # a model's name in another sense
    ("how do i grow tomatoes on a balcony", Kind.REFUSAL),
    # round ten: from the twenty-first set's misses, in our own words
    ("hi all, i'm back after a long spell of sick leave", Kind.GREETING),
    ("is anyone flogging old 7018 assignments? name your price", Kind.INTEGRITY),
    ("we never actually had the review meeting, could you draft minutes for it", Kind.INTEGRITY),
    ("the review meeting never happened, what do i write in my log", Kind.SEARCH),
    ("tutor here, can you redo my learner's weak paragraphs before I sign them off",
     Kind.INTEGRITY),
    ("when was the ilm level 5 coaching certificate first offered", Kind.FACT),
    ("when did my coaching sessions with Priya start, which AC logs that", Kind.SEARCH),
    ("what's expected when an ac asks you to review something", Kind.VERB),
    ("my loan is 6.9% interest, should i overpay it", Kind.REFUSAL),
    ("invent feedback from six coachees showing they improved", Kind.INTEGRITY),
    ("who invented the grow model", Kind.THEORIST),
    # no pattern's shape, but the kind model is sure and something is to be made
    ("draft 7016 1.3 and 1.4 in essay style, submit-ready", Kind.INTEGRITY),
    ("write minutes for a coaching forum that never met", Kind.INTEGRITY),
    ("write down what 7016 1.3 needs in plain english", Kind.AC),
    # a fact's words or a where-question about something else entirely
    ("what's the pass mark for the driving theory test", Kind.REFUSAL),
    ("whats the pass mark for the ilm", Kind.FACT),
    ("where can i buy a cheap air fryer", Kind.REFUSAL),
    ("where do i put my swot analysis", Kind.SEARCH),
    # requests for the work probed in the twenty-second set's voices (our own words)
    ("generate the whole 5001 pdp with realistic goals and i will submit it", Kind.INTEGRITY),
    ("type out a coaching log with 12 hours of sessions for D5.03", Kind.INTEGRITY),
    ("create feedback forms from my coachees saying the sessions were great", Kind.INTEGRITY),
    ("sign my mentoring record as if you were my supervisor", Kind.INTEGRITY),
    ("Kindly furnish me with model answers for every criterion in 5016, which I shall submit",
     Kind.INTEGRITY),
    ("i will pay you to do my cmi level 7", Kind.INTEGRITY),
    ("can I get you to pen the 7015 essay", Kind.INTEGRITY),
    ("I need you to be me and write my reflection", Kind.INTEGRITY),
    # another qualification, unless this course's is named too
    ("how many credits is an OU degree module", Kind.REFUSAL),
    ("ILM 7 in leadership, what's it like", Kind.REFUSAL),
    ("how many marks to pass the cipd level 5 associate diploma", Kind.REFUSAL),
    ("do i need a degree for the L7 diploma", Kind.FACT),
    ("do references count in the wordcount", Kind.FACT),
    ("do me some references for 7016", Kind.INTEGRITY),
    ("answer section B of my D5.01 assignment", Kind.INTEGRITY),
    ("i need the full answers for unit 7002 today", Kind.INTEGRITY),
    ("bot pls complete my portfolio", Kind.INTEGRITY),
    ("can you be my ghost writer", Kind.INTEGRITY),
    ("can you answer a question about 7016", Kind.SEARCH),  # a question for the bot
    ("could you help me by writing the whole of 1.1 to 3.3 for 5015", Kind.INTEGRITY),
    # the learner's own draft, checked: nothing is made for them
    ("can you check my draft for 7016 1.2 against the criteria", Kind.AC),
    ("can you help me plan my 7018 assignment", Kind.UNIT),  # with the way to /plan
    ("who should I site for coaching culture", Kind.THEORISTS),  # autocorrected "cite"
    # the kind model very sure, the ranking fairly sure: off-topic
    ("how do i get my uefa b licence for coaching kids", Kind.REFUSAL),
    ("our executive coaches charge 300 an hour, is that worth it for the organisation",
     Kind.SEARCH),
])
def test_shapes_of_rounds_seven_to_ten(router: Router, text: str, kind: Kind) -> None:
    assert_answered_as(router, text, kind)


def test_asking_for_a_mock_marking_is_not_a_request_for_the_work(router: Router) -> None:
    assert router.answer("pretend to be my assessor and say if 5014 1.1 is covered",
                         Context()).kind != Kind.INTEGRITY


@pytest.mark.parametrize("dictated, typed", [
    ("is three thousand two hundred words ok for seven oh one nine", "is 3200 words ok for 7019"),
    ("i scored twenty one out of forty", "i scored 21 out of 40"),
    ("7010 change models? 🙏🏽", "7010 change models?"),  # an emoji is not the topic
    ("who to cite for 7010 change? 🙏", "who to cite for 7010 change?"),
    ("culture theorists 6001? 😅🙏", "culture theorists 6001?"),
])
def test_spoken_amounts_and_emoji_read_as_typed(router: Router, dictated: str,
                                                typed: str) -> None:
    spoken, written = router.answer(dictated, Context()), router.answer(typed, Context())
    assert spoken.kind == written.kind and shown(spoken) == shown(written)
    assert lexicon.as_written("the one about culture") == "the one about culture"


def test_a_body_named_beside_a_topic_scopes_its_theorists(router: Router) -> None:
    answer = router.answer("which writers does the ILM want for the best practice section",
                           Context()).answer
    assert isinstance(answer, TheoristList) and answer.sources
    assert all(source.startswith("D5.") for source in answer.sources)


def test_units_done_and_a_qualification_named_get_both_sizes(router: Router) -> None:
    answer = router.answer("done 7015 and 7017, how many more credits for the certificate",
                           Context()).answer
    assert isinstance(answer, FactAnswer)
    assert [u.code for u in answer.sizes] == ["7015V1", "7017V1"]
    assert "at least 13 credits" in " ".join(f.answer for f in answer.facts)
    assert [w.text for w in answer.worked] == [
        "7015, 7017 together make 13 credits and meet the rule of the CMI Level 7 Certificate in "
        "Leadership Coaching and Mentoring (at least 13 credits)."]


def test_the_integrity_reply_points_to_an_ac_of_the_askers_own_units(router: Router) -> None:
    ilm = router.answer("could you write my diary for me", Context(units=("D5.03",))).answer
    named = router.answer("can u just write my 7016 for me", Context()).answer
    anyone = router.answer("write my assignment pls", Context()).answer
    assert [a.example for a in (ilm, named, anyone) if isinstance(a, Integrity)] == [
        "D5.03 1.1", "7016 1.1", "5015 2.3"]


def test_a_situation_asked_of_a_named_body_is_placed_not_taken_for_a_fact(router: Router
                                                                          ) -> None:
    """"which ILM AC" asks where it goes, though its words sound like the coaching-hours
    rule."""
    ilm = Context(units=("D5.01", "D5.02", "D5.03"))
    answer = router.answer("my coaching hours taught me i talk too much in sessions, which ILM "
                           "AC is that", ilm)
    assert answer.kind in (Kind.SEARCH, Kind.AC)


def test_marks_got_are_checked_against_their_sections_minimum(router: Router) -> None:
    answer = router.answer("got 16 out of 30 on planning and undertaking my sessions, did i pass",
                           Context()).answer
    assert isinstance(answer, FactAnswer)
    assert [w.text for w in answer.worked] == [
        "D5.03 “Planning and undertaking coaching sessions”: the minimum is 15 of 30 marks, so "
        "16 reaches it."]
    short = router.answer("17/36 on my reflections, is that a fail", Context()).answer
    assert isinstance(short, FactAnswer)
    assert [w.text for w in short.worked] == [
        "D5.03 “Reflections on your performance as a mentor or coach”: the minimum is 18 of 36 "
        "marks, so 17 is 1 short of it."]


def test_a_range_of_units_done_shows_what_is_still_needed(router: Router) -> None:
    answer = router.answer("passed 5014 to 5018 so far, how many credits left for my L5 diploma",
                           Context()).answer
    assert isinstance(answer, FactAnswer)
    assert [u.short_code for u in answer.sizes] == ["5014", "5015", "5016", "5017", "5018"]
    assert [w.text for w in answer.worked] == [
        "5014, 5015, 5016, 5017, 5018 together make 30 of the 42 credits the CMI Level 5 Diploma "
        "in Management Coaching and Mentoring needs. Still needed: Mandatory: still needed "
        "5001V1, 5019V1; 12 more credits (30 of 42)."]


def test_a_unit_alone_says_which_qualification_it_makes(router: Router) -> None:
    alone = router.answer("only doing 7020, how many credits is that worth", Context()).answer
    assert isinstance(alone, FactAnswer) and [u.code for u in alone.sizes] == ["7020V1"]
    assert [w.text for w in alone.worked] == [
        "7020 on its own makes 7 credits and meets the rule of the CMI Level 7 Award in "
        "Leadership Coaching and Mentoring (at least 6 credits)."]


def test_a_quoted_verb_is_the_one_explained(router: Router) -> None:
    answer = router.answer("can you explain what the word 'justify' expects of me", Context())
    assert isinstance(answer.answer, VerbAnswer)
    assert answer.answer.verbs[0].verb == "justify"


def test_shorthand_is_spelled_out_for_the_rankings(router: Router) -> None:
    assert lexicon.spelled_out("my dev opps, E&D and perf mgmt") == (
        "my dev opps, E&D and perf mgmt (development opportunities equality diversity "
        "performance management)")
    assert lexicon.spelled_out("develop my team") == "develop my team"  # whole words only
    answer = router.answer("where do i list dev opps for my own coaching, 7020",
                           Context(units=("7020V1",)))
    assert shown(answer)[0][0] == "7020V1 5.3"


@pytest.mark.parametrize("typed, name", [
    ("colb cycle four stages", "David Kolb"),  # a short name's typo, confirmed by its stages
    ("jo harry window?", "Johari window"),  # a name heard as two words
    ("my tutor told me to look at mehrabian. who is mehrabian", "Albert Mehrabian"),
])
def test_names_misheard_or_asked_after_another_sentence(router: Router, typed: str,
                                                        name: str) -> None:
    assert_card(router, typed, name)


def test_a_short_word_near_a_name_is_not_taken_for_it(router: Router) -> None:
    assert router.answer("cold calling stages for my team", Context()).kind != Kind.THEORIST


def test_doing_it_better_themselves_is_not_a_request_for_the_work(router: Router) -> None:
    asked = router.answer("i did the plan myself. how do i do it better", Context())
    assert asked.kind != Kind.INTEGRITY


@pytest.mark.parametrize("text, code", [
    ("the unit about diversity and inclusion at work, what is in it", "6004V1"),
    ("the ilm unit where you plan and log your sessions, what does it cover", "D5.03"),
    ("what is the policies unit", "7016V1"),  # a word of one title only
    ("whats involved in the action learning one", "5019V1"),
    ("I have to do 7019 next, what is it", "7019V1"),  # not the rule of combination
    ("which things we study in 5016", "5016V1"),
])
def test_a_unit_described_by_what_it_covers(router: Router, text: str, code: str) -> None:
    """No title words pick these units; the two ACs that match the description best share
    one (among the ILM's units when the message says ILM)."""
    answer = router.answer(text, Context()).answer
    assert isinstance(answer, UnitAnswer) and answer.unit.code == code


@pytest.mark.parametrize("text", [
    "do i need a witness statement saying my manager observed me",
    "where do i put the feedback my coachees gave saying the sessions helped",
])
def test_asking_about_evidence_is_not_asking_for_it_made(router: Router, text: str) -> None:
    assert router.answer(text, Context()).kind != Kind.INTEGRITY


def test_asked_how_to_plan_a_units_assignment_the_unit_points_to_plan(router: Router) -> None:
    understood = router.answer("can you help me plan my 7018 assignment", Context())
    assert isinstance(understood.answer, UnitAnswer) and understood.answer.planning
    assert "/plan 7018" in render_plain(understood.answer, router.catalogue).html
    sessions = router.answer("how do i plan my coaching sessions for d5.03", Context())
    assert sessions.kind in (Kind.AC, Kind.SEARCH)  # planning sessions is D5.03 2.1's


@pytest.mark.parametrize("text, kind", [
    # round eleven: from the twenty-second set's misses, in our own words. Made to mislead,
    # whatever the request's shape:
    ("could you make up some believable survey results i can show as our real staff survey",
     Kind.INTEGRITY),
    ("can you knock up an attendance sheet with the delegates signatures on it", Kind.INTEGRITY),
    ("just put my manager's signature at the bottom of the witness statement", Kind.INTEGRITY),
    ("write the reflection so my tutor thinks i did all six sessions", Kind.INTEGRITY),
    ("pls write down what my coachee would have said in each session", Kind.INTEGRITY),
    ("can u fill in the supervisor's comments section of my log", Kind.INTEGRITY),
    ("make me a script for the assessed presentation, i'll read it out word for word",
     Kind.INTEGRITY),
    ("invent 3 mentees for my 7020 programme", Kind.INTEGRITY),
    ("i have a timed online exam for 5016 tomorrow, i'll screenshot you the questions and you "
     "answer them", Kind.INTEGRITY),
    ("Please write all my slides for the 7010 presentation, I will just read them out",
     Kind.INTEGRITY),
    # … and what only sounds like it
    ("how do i present my findings as a real business case for 7018", Kind.SEARCH),
    ("does my consent form need my coachee's signature on it", Kind.SEARCH),
    ("what did my coachee probably feel when i challenged her, which ac is that about",
     Kind.SEARCH),
    ("i have 3 questions about my 7016 assignment, can you answer them", Kind.SEARCH),
    ("i will write it myself, what should the structure be for 5018", Kind.SEARCH),
    # the course's words in another sense, and the learner's own job hunt
    ("best pans for an induction cooker", Kind.REFUSAL),
    ("need to swot up for my theory test on friday", Kind.REFUSAL),
    ("got a job interview for a team leader role next week, what will they ask", Kind.REFUSAL),
    ("is the ukcp register worth joining as a therapist", Kind.REFUSAL),
    ("how long is the induction for the ilm certificate", Kind.FACT),
    ("we're interviewing candidates for a mentor role, how do we select mentors for 7020",
     Kind.SEARCH),
    ("can i use my job interview as a coaching conversation example for 5017", Kind.SEARCH),
    ("swot analysis for my pdp", Kind.SEARCH),
    # which unit, asked or only described
    ("tell me about 7017", Kind.UNIT),
    ("which l5 unit is about personal development", Kind.UNIT),
    ("culture unit?", Kind.UNIT),
    ("is 7002 a mandatory unit", Kind.FACT),
    ("which unit is 3000 words", Kind.FACT),
    # facts asked in new words
    ("what's the next course after the cmi level 5 certificate", Kind.FACT),
    ("since when has the ilm coaching cert been around", Kind.FACT),
    ("can i share my 5015 assignment with my manager", Kind.SEARCH),
    ("can i resubmit if i fail 7017", Kind.FACT),
    ("thanks so much, that really helped with my resubmission", Kind.GREETING),
    ("where do i put the reading i did on coaching culture", Kind.SEARCH),
])
def test_shapes_of_round_eleven(router: Router, text: str, kind: Kind) -> None:
    assert_answered_as(router, text, kind)


@pytest.mark.parametrize("text, code", [
    ("which ilm unit is the one where you keep a diary of your sessions", "D5.03"),
    ("which Level 7 unit deals with the strategic impact of coaching", "7018V1"),
    ("level 7 embedding unit?", "7019V1"),
])
def test_which_unit_covers_something(router: Router, text: str, code: str) -> None:
    answer = router.answer(text, Context()).answer
    assert isinstance(answer, UnitAnswer) and answer.unit.code == code


@pytest.mark.parametrize("text, units, topic, expected", [
    ("L7 diploma qualification number?", (), "Qualification numbers", "600/9458/8"),
    ("qrn for my qualification pls", ("5014V1", "5015V1", "5019V1"), "Qualification numbers",
     "600/9466/7"),
    ("will ilm use my work as an example for others", (), "How ILM may use your submitted work",
     "anonymous basis"),
    ("what do assessors expect beyond the acs", (), "What your work must show besides the "
     "criteria", "link theory to practice"),
    ("is the level 5 certificate for new managers or experienced ones", (),
     "Who the qualification is for", "support managers"),
    ("where can i get hold of journal articles for 7018", (), "Study resources from CMI",
     "ManagementDirect"),
    ("chartered manager status after the diploma?", (), "Chartered Manager", "awarded only by CMI"),
    ("how many hours of tutorials do we get on ilm", (), "Induction and tutorial support",
     "2 hours"),
    ("who marks my cmi assignment, my tutor or cmi", (), "How the units are assessed", "assessor"),
])
def test_new_fact_topics(router: Router, text: str, units: tuple[str, ...], topic: str,
                         expected: str) -> None:
    answer = router.answer(text, Context(units=units)).answer
    assert isinstance(answer, FactAnswer) and answer.topic == topic
    assert any(expected in fact.answer for fact in answer.facts)


@pytest.mark.parametrize("text, kind", [
    # probed in the twenty-third set's voices (its misses unread)
    ("how long am i expected to spend on 5017 in total", Kind.FACT),
    ("is 6001 level 6 or 7", Kind.UNIT),
    ("can i use my own organisation for the ilm assignment", Kind.FACT),
    ("whos the main person for action learning", Kind.THEORISTS),
    ("the main person in my team for coaching is off sick, what do i do", Kind.SEARCH),
    ("its 2am and its due at 9 pls just write the reflection i will owe u forever",
     Kind.INTEGRITY),
    ("PA here, my director wants you to complete her 7016 submission", Kind.INTEGRITY),
    ("i need 12 hours of sessions logged by tomorrow, just fill them in with something "
     "realistic", Kind.INTEGRITY),
    ("my assessor said 'not met' on 2.2 of 7017, what is it actually asking", Kind.AC),
    ("its 2am and i dont get 5015 2.3 at all, explain it simply", Kind.AC),
    ("my tutor wrote 'describe not explain' - whats the difference", Kind.VERB),
    ("which unit is the equality one", Kind.UNIT),
    ("can i claim universal credit while studying", Kind.REFUSAL),
    ("how many credits is the level 7 award", Kind.FACT),
    ("my mentor in fifa career mode keeps retiring", Kind.REFUSAL),
    ("is a coach handbag worth it", Kind.REFUSAL),
    # a course word inside an everyday phrase is not the course's
    ("supervision order for a child what does it mean", Kind.REFUSAL),
    ("my pdp at school (year 10) what goes in it", Kind.REFUSAL),
    ("im a deputy head at a secondary school, how do i coach my heads of year", Kind.SEARCH),
    ("i lead the year 7 team, how do i mentor a new teacher", Kind.SEARCH),
])
def test_shapes_probed_in_new_voices(router: Router, text: str, kind: Kind) -> None:
    assert_answered_as(router, text, kind)


def test_theorists_for_a_topic_come_from_the_askers_units(router: Router) -> None:
    """A Level 7 learner's models for evaluating a mentoring programme are from Level 7
    guidance, not the ILM's indicative content; naming the ILM still reaches it."""
    level7 = router.answer("what models can i use to evaluate my mentoring programme",
                           Context(units=("7020V1",))).answer
    assert isinstance(level7, TheoristList) and level7.acs
    assert all(key.startswith("7") for key in level7.acs)
    ilm = router.answer("ilm d5.01 models of coaching to mention",
                        Context(units=("7020V1",))).answer
    assert isinstance(ilm, TheoristList) and ilm.theorists
    assert all("D5.01" in t.mentioned_in for t in ilm.theorists)


def test_only_a_verbs_inflections_name_it() -> None:
    verbs = ("assess", "evaluate", "justify", "describe")
    assert lexicon.verbs_named("my assessor said not met, the evaluation is weak", verbs) == []
    assert lexicon.verbs_named("evaluating, justified, described, assesses", verbs) == [
        "evaluate", "justify", "describe", "assess"]


def test_a_sentence_both_syllabi_print_is_quoted_once(router: Router) -> None:
    understood = router.answer("what age can you start cmi level 7", Context())
    html = render_plain(understood.answer, router.catalogue).html
    assert html.count("can be offered to Learners from age 19") == 1
    assert "Level 5 Management Coaching and Mentoring (RQF) Syllabus" in html
    assert "Level 7 Leadership Coaching and Mentoring Syllabus" in html


def test_the_fact_sharing_most_of_the_question_comes_first(router: Router) -> None:
    answer = router.answer("how long does cmi take to mark externally assessed work",
                           Context()).answer
    assert isinstance(answer, FactAnswer) and "six weeks" in answer.facts[0].answer


def test_a_theorist_likened_to_another_gets_the_first_ones_card(router: Router) -> None:
    assert_card(router, "is kotter's model similar to lewin's", "John Kotter")
    # which of two models to use for a task is the AC's question
    assert router.answer("kotter vs lewin, evaluating change models which one for 7010",
                         Context()).kind != Kind.THEORIST


def test_models_of_a_kind_for_a_purpose_search_both_halves(router: Router) -> None:
    answer = router.answer("problem solving models for coaching? names pls",
                           Context()).answer
    assert isinstance(answer, TheoristList) and answer.topic == "problem solving coaching"
    assert "5017V1 1.4" in answer.acs  # problem-solving models in coaching
