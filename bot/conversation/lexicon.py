"""What each kind of message looks like: the words and shapes the router reads.

Kept apart from the router's logic so the patterns can be read (and argued with) in one place.
They are this project's own reading of how learners write; how well they do is measured on
evaluation sets written by someone else (`scripts/eval_answers.py`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from content.refs import spoken_amounts

# -- greetings, thanks, goodbyes ---------------------------------------------------------------

# Besides English, the greetings and thanks of British regions and of languages learners here
# speak at home ("alright our kid", "bore da", "diolch yn fawr", "dzien dobry", "shukriya").
_SOCIAL_CORE = frozenset(
    "hi hii hiya hey heya hello helo hallo yo morning mornin afternoon evening evenin thanks "
    "thank thx thanx ty ta cheers bye goodbye byee night nite later ciao alright awright "
    "aright howdy wotcha shwmae bore diolch hwyl tara dzien dobry czesc dziekuje hola gracias "
    "bonjour merci salut grazie ola obrigado obrigada salaam salam shukriya shukran namaste "
    "danke asante ay ey".split())
_SOCIAL_FILLER = frozenset(
    "good there bot mate all everyone again so much very lot you u ya yous for now see x xx xxx "
    "that thats that's is was really super helpful great brilliant perfect lovely awesome ace "
    "amazing ok okay oh many a the star legend anyone anybody here you're youre are ur much "
    "speak soon talk tomorrow cool nice one kind of your help sorted it helped helps makes sense "
    "clear now got understood gotcha fab works worked brill saved me lifesaver life saver "
    "sorry off to bed sleep my me our kid lad lads lass pal love luv lover duck pet hen folks "
    "guys da yn fawr dla ciebie muito alaikum pawb up from".split())
_THANKS = frozenset("thanks thank thx thanx ty ta cheers helpful star legend diolch dziekuje "
                    "gracias merci grazie obrigado obrigada shukriya shukran danke asante".split())
_BYE = frozenset("bye goodbye byee night nite gn later ciao cya ttyl tmrw tomorrow hwyl "
                 "tara".split())
# A nod that the answer landed, neither hello nor thanks: "lol ok", "ok cool".
_ACK = frozenset("ok okay k kk lol haha hehe np noted gotcha understood".split())
_WORD = re.compile(r"[a-z']+")
GREETING_PREFIX = re.compile(r"^(hi+|hiya|hey+|hello+|good (morning|afternoon|evening)|"
                             r"morning)[\s,!.]+(?=\S)", re.IGNORECASE)
# An email's courtesies around the question: "Hello, I hope you are well. … Many thanks, Priya".
_OPENING = re.compile(r"^((hi|hello) there|dear \w+|i hope (you are|you're|youre|ur|all is) "
                      r"(well|ok|good|keeping well)|hope (you are|you're|youre|ur) (well|ok|good))"
                      r"[\s,!.]+(?=\S)", re.IGNORECASE)
# A sign-off after the question's last stop or comma, with an optional first name.
_SIGN_OFF = re.compile(r"(?<=[.!?,])\s*(many thanks|thanks( so much| again| in advance)?|"
                       r"thank you( so much| in advance)?|(kind|best|warm|many) regards|regards|"
                       r"best wishes|all the best|best|cheers|ta)\b[\s,]*([a-z][\w'-]*)?[\s.!]*$",
                       re.IGNORECASE)


# Voice typing writes out the punctuation it was told and the speaker's hesitations: "which
# ac is that question mark", "so um where does it go full stop".
_DICTATED_MARKS = {"full stop": ".", "question mark": "?", "exclamation mark": "!",
                   "comma": ",", "new line": " ", "new paragraph": " "}
_DICTATED = re.compile(r"\s*\b(full stop|question mark|exclamation mark|comma|new line|"
                       r"new paragraph)\b", re.IGNORECASE)
_HESITATION = re.compile(r"\b(u+m+|u+h+|e+r+m+|e+r+|h+m+)\b[,.]?\s*", re.IGNORECASE)


# A Telegram username ("@studybot", "@sam_k"): who is addressed, never what is asked.
_HANDLE = re.compile(r"(?<![\w@])@\w{3,32}\b")


def _pictographs(text: str) -> str:
    """The text without emoji and other pictographs ("theorists? 🙏"): they set a tone, and
    read as words they would become the topic asked about."""
    return "".join(" " if unicodedata.category(c) in ("So", "Sk", "Cs") else c
                   for c in text if c not in "\u200d\ufe0f")


def as_written(text: str) -> str:
    """A message as it would have been typed to the bot alone: without the usernames a group
    message addresses and its emoji, and, when dictated, with the punctuation it names put in,
    its hesitations left out and the amounts it speaks in digits."""
    written = _DICTATED.sub(lambda m: _DICTATED_MARKS[m[1].casefold()],
                           _HANDLE.sub(" ", text))
    written = spoken_amounts(_pictographs(written))
    return " ".join(_HESITATION.sub("", written).split()) or text


# Shorthand typed on phones, for the words the units use: "dev opps", "perf mgmt", "E&D".
_SHORTHAND = {
    "dev": "development", "devt": "development", "opps": "opportunities",
    "oppos": "opportunities", "perf": "performance", "mgmt": "management",
    "mgt": "management", "mgr": "manager", "mgrs": "managers", "org": "organisation",
    "orgs": "organisations", "comms": "communication",
    "info": "information", "reqs": "requirements", "ppl": "people", "e&d": "equality diversity",
    "edi": "equality diversity inclusion", "convo": "conversation", "convos": "conversations",
    "eval": "evaluation", "evals": "evaluations", "stakeholdrs": "stakeholders",
    "resp": "responsibilities", "objs": "objectives", "approx": "approximately",
}
_SHORT_WORD = re.compile(r"(?<![\w&])(" + "|".join(re.escape(w) for w in _SHORTHAND)
                         + r")(?![\w&])", re.IGNORECASE)


def spelled_out(text: str) -> str:
    """The message with the words its shorthand stands for added after it ("dev opps" ->
    "dev opps (development opportunities)"), so rankings that know only whole words find
    them; the shorthand itself stays for the questions learners typed the same way."""
    found = dict.fromkeys(_SHORTHAND[m.casefold()] for m in _SHORT_WORD.findall(text))
    return f"{text} ({' '.join(found)})" if found else text


def without_courtesies(text: str) -> str:
    """The question without the hello, pleasantries and sign-off an email wraps it in."""
    before = None
    while before != text:
        before = text
        text = _OPENING.sub("", GREETING_PREFIX.sub("", text))
    return _SIGN_OFF.sub("", text).strip() or text


# An AC number the learner guesses at or rules out while asking where something goes: "is
# that 4.1 or 4.2?", "is it 1.3 where I say…? or is that the other one", "I know 1.4 is the
# PDP itself, but where do I…", "Sam says it goes in 2.2, I reckon 2.3". The words say what
# they need; the numbers are not the question.
GUESSED_REFERENCE = re.compile(
    r"\b(is|was) (it|that|this) (ac |in )?\d+\.\d+\b"
    r"|\b\d+\.\d+\s*\?*\s*,?\s*(or|unless)\b"
    r"|\b(i know|i think) (ac )?\d+\.\d+ is\b"
    r"|\b\d+\.\d+ is (my|the|for|about) [^?]*\bbut\b"
    r"|\b\d+\.\d+,? i think\b"
    r"|\b(i think|i reckon|i thought|or is it|isn'?t it|not) (it'?s |its |it is )?(ac )?"
    r"\d+\.\d+\b",
    re.IGNORECASE)
# An AC number ("4.1", "ac 2.3"), not a unit code's digits ("d5.01").
AC_NUMBER = re.compile(r"\b(ac\s*)?\d\.\d{1,2}\b", re.IGNORECASE)


# A first message to see whether the bot answers: "sorry just testing if this works".
_TESTING = re.compile(r"^(sorry\W*|hi\W*|hello\W*)*(just\s+)?test(ing)?\b[^?]{0,30}$"
                      r"|^(is this|does this|r u|are you) (working|on|live|awake)\W*$"
                      r"|^(hi\W*|hello\W*)*(are|r) (you|u) (a )?(real|human|bot|robot|person|"
                      r"an? ai|actual)\b[^?]{0,30}\??$"
                      r"|^(hi\W*|hello\W*)*(is this|are you) (the|a) (study )?(assistant|bot|"
                      r"helper)\b[^?]{0,40}\??$",
                      re.IGNORECASE)


def social(text: str) -> str | None:
    """"hello", "thanks", "bye" or "ok" when the message is only a greeting, thanks, goodbye
    or a nod; None when it says anything else."""
    words = _WORD.findall(text.casefold())
    if not words:
        return None if any(c.isalnum() for c in text) else "hello"  # emoji, punctuation
    if _TESTING.search(text.strip()):
        return "hello"
    if all(w in _ACK or w in _SOCIAL_FILLER for w in words) and any(w in _ACK for w in words):
        return "ok"
    unknown = [w for w in words if w not in _SOCIAL_CORE and w not in _SOCIAL_FILLER]
    if not (len(words) <= 8 and any(w in _SOCIAL_CORE for w in words)
            and len(unknown) <= (1 if len(words) >= 4 else 0)):
        return None
    return _greeted(words)


def _greeted(words: list[str]) -> str:
    """"thanks" for any thanks, "bye" for a goodbye, else "hello"."""
    if any(w in _THANKS for w in words):
        return "thanks"
    return "bye" if any(w in _BYE for w in words) else "hello"


def said(text: str) -> str:
    """What a message the kind model heard as social says ("thanks", "bye" or "hello"),
    whatever its other words."""
    return _greeted(_WORD.findall(text.casefold()))


# Small talk that may follow a hello: introducing oneself, asking after the bot.
_SMALL_TALK = re.compile(
    r"\b(i'?m|i am|im) (finally |now |just )?(new|just starting|starting|back|here)\b|"
    r"\b(back )?(at work |to (work|it|study|studying) )?after (my |a |the |some )?(long |short )?"
    r"(\w+ ){0,3}(leave|break|holidays?|illness|op|operation|surgery|time off)\b|"
    r"\bjust (joined|started|signed up|"
    r"enrolled|starting)\b|\bfirst (day|week|time|session)\b|\bhow (are|r) (you|u|ya|things)\b|"
    r"\bhow'?s it going\b|\bhope (you'?re|youre|ur|you are|u r|all'?s) (well|ok|good)\b|"
    r"\bi (do )?hope (this is|i'?m in|i am in) the right (place|group|chat)( to (ask|come)"
    r"( for help| questions)?)?\b|"
    r"\bnice to meet (you|u)\b|\bmy name'?s\b|\bmy name is\b|\bcall me\b", re.IGNORECASE)
# Words small talk is padded with ("on the course", "in this group").
_CHAT_FILLER = frozenset(
    "on in with to and the this my our course programme group cohort chat here today just i "
    "im i'm been it there saying say wanted ilm cmi level diploma certificate".split())


def greeting_with_small_talk(text: str) -> bool:
    """A hello followed by small talk and nothing to answer: "hi, just joined the course"."""
    folded = text.casefold()
    words = _WORD.findall(folded)
    opens = words[:1] if words[:1] != ["good"] else words[1:2]  # "good evening"
    if not opens or opens[0] not in _SOCIAL_CORE or not _SMALL_TALK.search(folded):
        return False
    rest = _WORD.findall(_SMALL_TALK.sub(" ", folded))
    unknown = [w for w in rest
               if w not in _SOCIAL_CORE and w not in _SOCIAL_FILLER and w not in _CHAT_FILLER]
    return len(unknown) <= 1  # one word may be a name: "hi, my name is sam"


# -- asking the bot to write (or fake) the work ------------------------------------------------

_DO = (r"(write|wright|rite|do|complete|finish|draft|redraft|rewrite|re-write|paraphrase|expand|"
       r"prepare|reword|generate|produce|compose|create|answer|type( up| out)?|put together|"
       r"knock up|pen|"
       r"fill in|pad( it)? out|bulk( it)? out|lengthen)")
_WORK_NOUN = (r"(assignment|essay|coursework|homework|work|answers?|submission|report|"
              r"reflection|reflective \w+|conclusion|introduction|intro|paragraphs?|sections?|"
              r"unit|plan|pdp|diary|log|records?|business case|statement|references?|"
              r"bibliography|analysis|evaluation|feedback|acs?|criteria|case study|it|this|"
              r"module|task|tasks|portfolio|workbook|slides|presentation|"
              r"\d{4}(v\d)?|d\s?5\.?\d\d|\d\.\d)")
# "made up" as invented, not "got made up" (promoted) or "was made up" (delighted).
_MADE_UP = r"(?<!\bgot )(?<!\bget )(?<!\bbeen )(?<!\bwas )(?<!\bwere )made up"
# Asking for assessed work to slip past the checks, or to be bought: integrity requests however
# they are phrased (both _INTEGRITY and _FABRICATE read them).
_UNFLAGGED = (r"so (it|that it) (doesn'?t|does not|won'?t|wont|will not) (get )?(flag|be flagged|"
              r"get flagged|show up|get caught|be detected)")
_BOUGHT = (r"(pay|paying) (you|u|someone|somebody|anyone) to (do|write|finish|complete)"
           r"|(pay|paying|buy|buying) (for )?(an?|someone to write( me)?( an?| my)?) "
           r"(\S+ ){0,3}(assignment|essay)"
           # "anyone selling a finished L7 assignment?"
           r"|(sell|sells|selling|flog|flogging) (me )?(an?|any|your|their|the|old|finished|"
           r"completed|done) (\S+ ){0,4}(assignments?|essays?|coursework|portfolios?)")
# Someone else to do it, or nobody to notice: "get my mate to write it without the tutor
# knowing".
_SOMEONE_ELSE = (r"(get|ask|pay) (my|a|some|another) (\w+ )?(mate|friend|someone|somebody|person|"
                 r"sister|brother|partner|wife|husband|colleague|cousin) to (write|do|finish|"
                 r"complete)")
_UNNOTICED = (r"without (the |my |anyone |anybody )?(\w+ )?(knowing|noticing|finding out|"
              r"realising|realizing)")
# Signing for someone, handing in someone else's work, or disguising it: "sign the feedback
# form as her", "hand in her essay", "reuse her policy and change the company name".
_SIGNED_AS = (r"sign (it|the \w+( \w+)?|off \w+( \w+)?) (as|for) (her|him|them)"
              # "sign my mentoring record as if you were my supervisor"
              r"|\bas if (you|u) (were|was|are|r) (my|her|his|their) (\w+ )?(supervisor|manager|"
              r"tutor|assessor|coachee|mentee|mentor|coach|boss)")
# Evidence written to say what someone else would say: "create feedback forms from my
# coachees saying the sessions were great", "a witness testimony from my manager saying…".
_TESTIFIED = (r"(write|create|make|produce|generate|draft|type( up| out)?|knock up|put together|"
              r"fake|invent) (\w+ ){0,4}(feedback|testimon\w*|witness \w+|statements?|"
              r"quotes|forms?|references?|reviews?)\b.{0,40}\b(saying|that says?|to say|"
              r"which says?)")
_THEIRS_IN = (r"(hand|submit|send)( it)? in (her|his|their) (old )?(essay|assignment|work|policy|"
              r"log|diary)")
_REWORDED = (r"((change|swap)( in)?|(put|stick) in) (the |some |a few |our |my )?(wording|company name|"
             r"org name|names|words)")
# The work asked of the bot in a politer sentence: "would it be ok if you wrote task 1", "is
# it alright if I ask you to produce the assignment", "prepare it on my behalf".
_ASKED_OF_YOU = (rf"(if|that) (you|u) (wrote|did|drafted|completed|finished|composed|prepared|"
                 rf"typed up|filled in|filled out|wrote up|made up|expanded|padded( out)?) (me )?"
                 rf"(my|her|his|their|the|a|an|this|that|task|section|question|part)\b"
                 rf"|\b(ask|get) (you|u) to {_DO}\b|\b{_DO}\b.{{0,60}}\bon my behalf\b")
# The answers themselves: "i need the full answers for unit 7002 today".
_THE_ANSWERS = (r"(need|want|gimme|give me|send me|get me)( all)? (the |all the )?(full |complete |"
                r"finished |model |right )?answers (for|to) (unit |the |my |all )?(\d{4}|d5|unit|"
                r"assignment|assessment|questions|criteria|acs)")
# Someone else's assessed work rewritten: "rewrite her weak sections so I can sign it off".
_THEIRS_REWRITTEN = (r"(rewrite|re-write|redo|redraft|fix up|improve) (her|his|their|my learner'?s|"
                     r"my mentee'?s|the learner'?s|my (mate|friend|colleague)'?s) (\S+ ){0,2}"
                     r"(sections?|work|assignment|essay|answers?|bits|parts|paragraphs?)")
# The bot as the learner: "I need you to be me and write my reflection".
_AS_ME = r"(you|u) to be me|act as me|be me and"
# Records of an event that never took place: "my set never actually met. could you write up
# minutes of the meeting".
_NEVER_HAPPENED = re.compile(
    r"\b(never|didn'?t|did not|havent|haven't|have not) (actually |really |ever )?(met|meet|"
    r"happen|happened|took place|take place|ran|run|had (one|a|any|the|that|our))\b", re.IGNORECASE)
_RECORD_WRITTEN = re.compile(
    rf"\b({_DO}|write up|make)\b.{{0,40}}\b(minutes|notes|logs?|records?|diary|statements?|"
    r"feedback|transcripts?|summary|write-up|evidence)\b", re.IGNORECASE)
# Records of what was never recorded: "fill in my log for the hours i never wrote down".
_UNRECORDED = (r"(hours|sessions|meetings|notes) (i|we) (never|didn'?t|did not|forgot to) "
               r"(wrote|write|log|logged|record|recorded|did|do|have|had)")
# The bot's words pasted in: "paste your explanation straight into my assignment".
_PASTED = (r"(paste|copy|put|drop|stick) (your|the bot'?s|this|that|it|them|those) (\S+ ){0,6}"
           r"(straight|right|directly) in(to)?")
# Records made to pass as genuine: "session notes that look real".
_LOOKS_REAL = (r"(that|so (it|they|that)|to|which) (look|looks|seem|seems|sound|sounds) "
               r"(real|genuine|authentic|legit)")
# Made to mislead whoever reads it, however the request is put: "numbers I can present as our
# actual data", "a consent form with my coachee's signature on it", "fill in the assessor's
# decision", "so my boss thinks it's done", "just write what i probably felt after each one",
# "write all the slides and what I say, I will read it exactly".
_DECEIT = (r"(present|pass|show|claim|use|submit) (it |them |this |these |those |that )?(off )?as "
           r"(our|my|the|their) (actual|real|own|genuine|true)"
           r"|(with|plus|including|add|adding|put|putting|copy|copying|forge|forging|fake|faking) "
           r"(on )?(my |her |his |their |the |our |a )?(\w+'?s? ){0,2}signatures?"
           r"|so (that )?(my|the|our|her|his|their) (\w+ ){0,2}(thinks?|believes?|assumes?|"
           r"reckons?|will think)"
           r"|what (i|we|they|he|she|my \w+) (probably|prob|might have|would have|must have|"
           r"could have|may have|should have) (felt|thought|said|did|learn\w*|noticed|done|"
           r"reflected|asked)"
           r"|(fill in|fill out|complete|sign|tick|write( in)?) (the|my|her|his|their) (assessor|"
           r"tutor|marker|examiner|supervisor|witness|iqa|verifier)'?s? (\w+ ){0,2}(decision|"
           r"signature|comments?|judgement|box|section|bit|part|declaration|feedback)"
           r"|(read|say|recite|deliver|present) (it|this|them|that) (out )?(exactly|word for word|"
           r"verbatim|as it is)"
           r"|(something|anything|stuff|entries|sessions|notes|data|numbers|figures|details|"
           r"answers) (that (looks?|sounds?|seems?) )?(realistic|believable|plausible)")
_MISLEADING = re.compile(rf"\b({_DECEIT})\b", re.IGNORECASE)
# The bot answering a test while the learner sits it: "I will send you the questions from my
# phone and you answer them quick".
_LIVE_TEST = re.compile(
    r"\b(test|exam|quiz|timed|time.constrained|online assessment)\b.{0,160}"
    r"\b((send|give|text|message|forward|screenshot|read) (you|u) (the |my |all the |each |every )?"
    r"(questions?|qs)\b.{0,60}\b(you|u) (answer|solve|do|fill)|(you|u) (answer|solve|do) (them|it|"
    r"the questions|each one) (quick|fast|live|straight away|for me|as i go|while))",
    re.IGNORECASE)
# A request addressed to the bot: at the start, or after "can you", "pls", "just"...
_REQUEST = r"(^|\b(can|could|will|would|pls|please|just|u|you|possibly|kindly)\s+)"
_INTEGRITY = re.compile(
    rf"{_REQUEST}(you\s+|u\s+|just\s+|pls\s+|please\s+|possibly\s+|kindly\s+)*{_DO}\s+"
    rf"(me\s+)?(up\s+|off\s+)?(like\s+|about\s+|around\s+|roughly\s+)?"
    rf"(my|his|her|their|all( of)?( the| my)?|the whole( of)?|an?|the|some|this|these|that|"
    rf"(section|task|part|question)s?|"
    rf"\d+\s*words?)\b"
    rf".{{0,40}}"
    rf"\b{_WORK_NOUN}\b"
    rf"|\b({_DO}|make|making)\b.{{0,40}}\b{_WORK_NOUN}\b.{{0,30}}\bfor (me|us)\b"
    rf"|\b(need|needs|want|wants|would like|'d like) (you|u) to {_DO}\b.{{0,40}}\b{_WORK_NOUN}\b"
    rf"|\b(make up|{_MADE_UP}|fake|fabricate\w*|invent(ing)? (some|an?|me|the|my|\d+|a few|"
    rf"several|two|three|four|five|six|seven|eight|nine|ten)|pretend to be"
    # "invent feedback from six coachees", not "who invented grow"
    rf"|invent(ing)? (\w+ ){{0,2}}(feedback|quotes|results|notes|data|evidence|minutes|"
    rf"statements?|logs?|sessions?|surveys?|responses|testimonials?))\b"
    # a mock marking is feedback ("pretend to be my assessor and say if it's covered"), but
    # not a tutor's signature ("pretend to be my tutor and sign off my hours")
    rf"(?! (my|a|an|the) (tutor|assessor|marker|examiner) (and|to) (tell|say|mark|check|grade|"
    rf"give|assess|see|judge)\b)"
    # written to pass as the learner's: "something that reads like a level 7 learner wrote it"
    rf"|\b(reads?|sounds?|looks?) like (i|me|a human|a person|a real person|an? \w+( \w+){{0,3}}) "
    rf"(wrote|had written|has written) it\b"
    rf"|\b(tutor|assessor|they|cmi|ilm)( will| would)? (wont|won't|will not|wouldnt|wouldn't|"
    rf"never) (know|notice|find out|check|tell)\b"
    rf"|{_REQUEST}(you\s+|u\s+)?(pad|bulk)( it| this| my \w+)? out\b"
    # "do me some references", not "do references count in the word count"
    rf"|\b{_DO}\s+(me\s+)?(some\s+)?(references|citations|quotes|sources)\b"
    rf"(?!\s+(count|go|need|have|get|matter|include))"
    rf"|\bso (it|that it) looks like (mine|my own|i|\d+)\b|\bpass (it )?off\b"
    rf"|\b{_LOOKS_REAL}\b|\b{_ASKED_OF_YOU}"
    # a better one written for them: "could you write me a better one"
    rf"|\b(can|could|will|would) (you|u) (just )?{_DO} (me )?(a|an) (better|new|stronger|proper|"
    rf"good|full|longer) (one|version|draft)\b"
    rf"|\b{_PASTED}\b"
    # a bare order after the task: "2500 words on 5018 by monday. just write it"
    rf"|(^|[.!?]\s*)(just |pls |please |(can|could) (you|u) )+{_DO} (it|this|them)"
    rf"( for me| pls| please)?\W*$"
    rf"|\b(fill|filled|fill out|write up|log)\b.{{0,40}}\b{_UNRECORDED}\b"
    # handed in as it is ("so i can hand it in"); a deadline ("hand in is friday") is not
    # ("check my draft before i submit it" asks for feedback)
    rf"|\b(to submit|(?<!before i )(?<!before we )submit it|(?<!before i )(?<!before we )"
    rf"hand (it|this|them) in|(i|we) (can|could|will|'ll) hand in|"
    rf"i('?ll| will) submit|paste (it )?(straight )?in|"
    rf"copy (and|&|n) paste|as my own|copy (it )?(straight )?in(to)?|"
    rf"(drop|stick|plug|slot|pop|chuck) (it |this |that |them )?(straight|right|directly) "
    rf"in(to)?)\b"
    rf"|\b(hand|submit|send)( it)? in (hers|his|theirs|someone else'?s|my (mate|friend)'?s)\b"
    rf"|\b{_THEIRS_IN}\b"
    rf"|\b(hand|submit|send) (hers|his|theirs|someone else'?s( \w+)?|my (mate|friend)'?s( \w+)?)"
    rf" in\b"
    rf"|\bmodel answers?\b"
    rf"|\bturn (it|them|this|these|my \w+( \w+)?) into (an?|the|my)( full| proper)? (\d+ words|"
    rf"essay|assignment|answer|paragraphs?|prose|sentences)\b"
    # "500 words on coaching culture pls", not "is it 3000 words for 7016"
    rf"|(^|\b(pls|please|just|need|want|gimme|give me)\s+)(an?\s+)?\d{{3,4}}\s*-?\s*words? "
    rf"(on|about)\b"
    rf"|\badd\b.{{0,20}}\b\d{{2,4}}\s*(more |extra )?words\b"
    rf"|\bmak(e|ing) (it|this|my \w+( \w+)?) (longer|more long|sound better|more academic)\b"
    rf"|\b(so|to) (that )?(turnitin|the plagiarism checker|the checker)\b|\bget past turnitin\b"
    rf"|\b(get|sneak|slip) (it |this |them |(my|the|our) \w+ )?(past|through|by|round|around) "
    rf"(the )?"
    rf"(ai |plagiarism )?(detectors?|checkers?|checks|turnitin)\b"
    rf"|\b(ai|plagiarism) (detectors?|checkers?)\b.{{0,40}}\b((get|sneak|slip) (\w+ )?"
    rf"(past|through|round|around)|avoid|beat|dodge|fool|trick)\b"
    rf"|\b{_UNFLAGGED}\b|\b{_BOUGHT}\b|\b{_SOMEONE_ELSE}\b|\b{_UNNOTICED}\b"
    rf"|\b{_THEIRS_REWRITTEN}\b|\b{_TESTIFIED}\b|\bghost ?-?writ\w*|\b{_THE_ANSWERS}\b"
    rf"|\b({_AS_ME})\b"
    rf"|\b(would|do) (you|u) mind (writing|doing|completing|finishing|drafting|typing|"
    rf"producing|filling in|putting together|having a (go|crack|bash) at)\b"
    # the answer itself, to start from or to copy: "only a starting point for my submission",
    # "what a pass-level answer would look like word for word"
    rf"|\b(starting point|base|basis|template) for my (submission|assignment|essay|report)\b"
    rf"|\b(answer|essay|assignment|report|version)\b.{{0,60}}\bword for word\b"
    # a finished one to put their name on: "…so I can just swap in our company name"
    rf"|\bso (that )?(i|we) (can|could) (just )?{_REWORDED}\b"
    rf"|\b(provide|send|give|share)( me)?( with)? (the |all the |all |complete |full |finished )+"
    rf"(answers?|essays?|assignments?)\b"
    rf"|\breuse (her|his|their|someone'?s|somebody'?s|(my|a) (colleague|friend|mate|sister|"
    rf"brother)'?s?) (old )?(\S+ )?(assignment|essay|work|log|diary|policy|statement|plan|"
    rf"report)\b"
    # signing for someone else: "can i just sign the feedback form as her"
    rf"|\b{_SIGNED_AS}\b"
    rf"|\b(spin|turn|stretch|pad|make) (my |our |these |the |this )?(\S+ ){{0,3}}(into|to|up to) "
    rf"\d+ hours\b"
    # stretched to a length: "pad my 5016 to 2500 pls", "expand this into 500 words"
    rf"|\b(pad|stretch|bulk|expand|spin)( it| this| that| my \S+( \S+)?)?( out| up)? (to|into|up to) "
    rf"\d{{3,4}}\b"
    rf"|\bmake (this|it) sound like (me|mine|i wrote it)\b"
    rf"|\bso (i|that i) (dont|don't|do not|wont|won't) (need|have) to (reference|cite)\b"
    rf"|\b(turnitin|plagiarism checker)\b.{{0,20}}\b(catch|detect|spot|flag)"
    rf"|\b(give|send|show) me (an?|the|my|full|complete)?( full| complete| whole)? ?(\S+ ){{0,2}}"
    rf"{_WORK_NOUN}\b.{{0,40}}\b(paste|copy|submit|"
    rf"hand in|{_REWORDED}|reword|send (it |this )?(to )?my (tutor|assessor))"
    rf"|\b(give|send|show) me (an?|the|my) ((full|complete|whole|finished) )?(essay|assignment|"
    rf"conclusion|introduction)|\b(give|send|show) me (an?|the|my) (full|complete|whole|finished) "
    rf"answer",
    re.IGNORECASE)
# The learner doing it themselves: "how do I write my reflective log".
_OWN_WORK = re.compile(r"\b(how|what|where|when|which|should|do|does|can|could|shall|must)\s+"
                       r"(i|we)\b|\bi\s+(need|have|want|am going|will|'ll|'m)\b|\bneed to\b"
                       # help with their own: "can you help me plan my 7018 assignment"
                       r"|\bhelp (me|us)( to)? (plan|structure|organise|organize|outline|check|"
                       r"review|understand|think|start|get started|brainstorm|prepare)\b",
                       re.IGNORECASE)
_FABRICATE = re.compile(rf"\b(make up|{_MADE_UP}|fake|fabricate\w*|invent\w*|{_UNRECORDED}|"
                        r"(havent|haven't|have not|not) (read|seen) (them|it)|"
                        r"pretend to be|(wont|won't|will not|never) (know|notice|find out)|"
                        r"so (it|that it) "
                        r"looks like|pass (it )?off|as my own|turnitin|hers|his|theirs|"
                        r"someone else'?s|my (mate|friend)'?s|copy (it )?(straight )?in|"
                        r"detectors?|"
                        rf"{_UNFLAGGED}|reuse|{_BOUGHT}|{_SOMEONE_ELSE}|{_UNNOTICED}|"
                        rf"{_SIGNED_AS}|{_THEIRS_IN}|{_REWORDED}|make (this|it) sound like (me|mine)|"
                        rf"{_LOOKS_REAL}|{_PASTED}|"
                        r"(need|have) to (reference|cite)|"
                        # what the bot writes handed in: "…and i will submit it"
                        r"(i'?ll|we'?ll|(i|we) (will|shall|then)) (submit|hand (it|this|them))|"
                        rf"{_TESTIFIED}|{_THE_ANSWERS}|{_AS_ME}|{_DECEIT})\b",
                        re.IGNORECASE)


# Asked of the bot in so many words: "can u make my 7018 answer longer", whatever follows.
_ADDRESSED = re.compile(rf"\b(can|could|will|would) (you|u)\s+(just\s+|pls\s+|please\s+|"
                        rf"possibly\s+|kindly\s+)?"
                        rf"({_DO}|make)\b|\b{_ASKED_OF_YOU}"
                        rf"|\b(need|want) (that )?(you|u) (to )?({_DO}|make)\b"
                        # "Please write all the slides": an order, not the learner's plan
                        rf"|\b(please|pls|plz|kindly)\s+(just\s+)?{_DO}\b"
                        rf"|(^|[.!?]\s+)just\s+{_DO}\b"
                        # someone wants it of the bot: "my director wants you to complete her"
                        rf"|\b(needs|wants|would like|'d like) (you|u) to ({_DO}|make)\b",
                        re.IGNORECASE)


# Something made, or bought, for the learner, asked of the bot: the words a request for the
# work cannot do without, whatever its shape ("pls write 1.2 and 1.3", "beef up the weak
# sections for her"); not "i wrote my essay" or "check my draft".
_MAKE = (r"(write|produce|invent|generate|create|draft|re-?word|re-?write|pad|beef|fill|sign|"
         r"buy|sell|hide|beat|fake|forge|make|swap|translate|paraphrase|complete|finish|bang|"
         r"knock|do|type|compose|prepare|pen|ghost ?write|writing|doing|drafting|producing|"
         r"completing|finishing|making|creating|put|add|stick|copy)")
MAKING = re.compile(
    rf"(^|[.!?,]\s*|\b(pls|please|plz|just|then|and|now|(can|could|will|would) (you|u)|(you|u)|"
    rf"(need|want|get) (you|u) to)\s+)((just|please|pls|possibly|kindly|quickly|maybe|like|"
    rf"also|then|go on and|help (me|us|her|him) by)\s+){{0,2}}{_MAKE}\b(?! (i|we)\b)"
    rf"|\b{_MAKE}\b.{{0,60}}\bfor (me|us|her|him|them)\b", re.IGNORECASE)


# A question for the bot itself: "can you answer a question about 7016".
_QUESTION_FOR_YOU = re.compile(
    r"\banswer (me )?(a|my|some|this|one|a few|a couple of|two|three|\d) (quick |small |simple )?"
    r"(questions?|qs?|query|queries)\b(?! (\w+ )?(of|from|in|for) (my|the|section|task|part)\b)"
    # "i have 3 questions about my 7016 assignment, can you answer them"
    r"|\bquestions? (about|on|re) .{0,60}\b(can|could|would|will) (you|u) answer (them|it|these|"
    r"those)\b", re.IGNORECASE)


def asks_for_the_work(text: str) -> bool:
    """A request to write, finish or fake assessed work (not a question about doing it)."""
    if _LIVE_TEST.search(text):
        return True
    faked = bool(_NEVER_HAPPENED.search(text) and _RECORD_WRITTEN.search(text)
                 and _ADDRESSED.search(text)) or bool(MAKING.search(text)
                                                      and _MISLEADING.search(text))
    return ((faked or bool(_INTEGRITY.search(text))) and not doing_it_themselves(text)
            and not question_for_you(text))


def question_for_you(text: str) -> bool:
    """A question of the learner's for the bot: "can you answer a question about 7016"."""
    return bool(_QUESTION_FOR_YOU.search(text))


def doing_it_themselves(text: str) -> bool:
    """The learner asks how to do the work themselves ("can i turn my notes into an essay
    myself"), and neither asks the bot to do it nor to fake it."""
    return bool(_OWN_WORK.search(text)
                and not (_FABRICATE.search(text) or _ADDRESSED.search(text)))


# -- command verbs -----------------------------------------------------------------------------

def verb_pattern(verbs: Iterable[str]) -> re.Pattern[str]:
    """Questions about what a command verb means, or how two differ."""
    v = "|".join(sorted((re.escape(x) for x in verbs), key=len, reverse=True))
    one = two = rf"['\"“‘]?(?:critically\s+)?({v})s?['\"”’]?"
    return re.compile(
        rf"\b(?:what|wat|wot)(?:'s| is| does| do|s)?\s+(?:the\s+(?:word|command verb|verb)\s+)?"
        rf"{one}\s+(?:\w+\s+){{0,2}}?(?:mean|means|meaning|ask|asks|asking|want|wants|wanting|"
        rf"need|needs|require|requires|involve|involves|expect|look like)\b"
        rf"|\bwhen (?:it|they|the ac) says?\s+{one}"
        # The AC or unit "says" the verb: "the 6004 one says conduct, do i have to…".
        rf"|\b(?:it|ac|one|unit|criteri\w+|question|\d{{4}}(?:v1)?|d5\.?\d+)\s+"
        rf"(?:says?|(?:asks?|wants?) (?:me |us |you |learners |them |the learner )?to)\s+{one}\b"
        # Who set the task says the verb, then asks how much: "section A says justify the
        # change solutions - how much do I need to back it up?"
        rf"|\b(?:ilm|cmi|section \w|task \d|the task|the brief|brief|tutor|assessor)\s+"
        rf"(?:says?|asks? (?:me |us )?to|wants? (?:me |us )?to)\s+{one}\b.{{0,80}}\b(?:different|"
        rf"differ|mean|means|how much|how deep|how far|how many|back it up|enough)\b"
        # The verb, then the unit it is in: "justify in 7010, how much do i say".
        rf"|^{one}\s+(?:in|for)\s+(?:unit\s+)?(?:\d{{4}}(?:v1)?|d5\.?\d+)\b"
        rf"|\b(?:does|do|is)\s+{one}\s+(?:just\s+|only\s+|really\s+)?mean\b"
        rf"|^{one}\s+(?:or|and|vs\.?)\s+{two}\W+.{{0,20}}\bdifference\b"
        rf"|^{one}\s+(?:just\s+|only\s+)?means?\b"
        # "when an ac starts with identify", "is establish just a posh word for set"
        rf"|\b(?:starts?|begins?|opens?)\s+with\s+(?:the\s+(?:word|verb)\s+)?{one}"
        rf"|\bis\s+{one}\s+(?:just\s+)?(?:a\s+)?(?:posh|fancy|another|long|big)\s+(?:word|way)\b"
        rf"|\b(?:meaning|definition|define)\s+(?:of\s+)?{one}(?!\s+(?:my|the|a|an|your|our)\b)"
        rf"|\bwhat (?:do|does) (?:they|it|cmi|ilm|the ac|the assessor)s? (?:mean|want) "
        rf"(?:by|when (?:it|they) says?|with)\s+{one}"
        rf"|\b{one}\s+(?:means?|meaning)\b"
        rf"|\b(?:difference|diff|differences)\s+(?:between|betwen|btwn|b/w)\s+{one}\s+"
        rf"(?:and|&|n|vs\.?|or)\s+{two}"
        rf"|\b{one}\s+(?:vs\.?|versus|v)\s+{two}\b"
        # two verbs set against each other, then asked about: "'describe not explain' - whats
        # the difference"
        rf"|\b{one}\s+(?:not|rather than|instead of)\s+{two}\W.{{0,40}}\b(?:difference|differ|"
        rf"mean|means)\b"
        rf"|\bis\s+{one}\s+(?:the same as|different (?:from|to)|like)\s+{two}"
        rf"|\bhow (?:is|does)\s+{one}\s+(?:different|differ)\s+(?:from|to)\s+{two}"
        rf"|\bhow\s+{one}\s+(?:differs|is different|compares)\s+(?:from|to|with)\s+{two}"
        # The verb alone, then a question about it: "evaluate?? how far do i go", "identify, so
        # can i just bullet point it?".
        rf"|^{one}\s*(?:[?!:=,]+|\s[-–=]+)"
        rf"|^{one}\s+(?:is|does|do|means?)\s+(?:that|it|this)\b"
        rf"|^{one}\s+(?:or|vs\.?|v)\s+{two}\b"
        # The verb called a verb: "identify, is that command word just a list".
        rf"|\b{one}\W+(?:\w+\W+){{0,5}}?(?:that|this|the|as an?) (?:command )?(?:verb|word)\b"
        rf"|^{one}\W+(?:\w+\W+){{0,10}}?(?:that|this|the) (?:command )?(?:verb|word)\b"
        # How much the verb asks, the verb last: "how detailed should i be to describe".
        rf"|\b(?:how (?:much|deep|detailed|far|long|critical|in.depth)|what counts as)\b"
        rf"[^?]{{0,50}}?\b(?:for|to|with|by|as|i|u|we|you)\s+{one}\W*$",
        re.IGNORECASE)


# A word or two in quotes: "what the word 'analyse' requires".
QUOTED = re.compile(r"['\"“‘]([\w ]{2,30})['\"”’]")


_INFLECTIONS = (("s", ""), ("d", ""), ("es", ""), ("ed", ""), ("ing", ""), ("ing", "e"),
                ("ied", "y"), ("ies", "y"))


def verbs_named(text: str, verbs: Iterable[str]) -> list[str]:
    """The command verbs a message names, in its order, as typed or inflected ("evaluating",
    "justified")."""
    known = set(verbs)
    named: list[str] = []
    for word in _WORD.findall(text.casefold()):
        # only inflections: "assessor" and "evaluation" name a person and a noun, no verb
        stems = [word] + [word[:-len(end)] + base for end, base in _INFLECTIONS
                          if word.endswith(end)]
        verb = next((v for v in stems if v in known), None)
        if verb is not None and verb not in named:
            named.append(verb)
    return named


# -- theorists and models ----------------------------------------------------------------------

# One name likened to another: "are Harrison's culture types the same as Handy's?" ("kotter vs
# lewin, evaluating change models" asks which to use: the AC's).
COMPARED = re.compile(r"\b(the same as|similar to|different (from|to)|differ from)\b",
                      re.IGNORECASE)
# "who is whitmore", "charles handy who is he", "mehrabian 7 38 55 thing?"
NAME_CUE = re.compile(
    r"\b(who|whos|who's|what|whats|what's|wats|wat)\s*(is|are|was|were|r|s)?\s*(he|she|they|"
    r"it|that|this|them)?\b|\btell me about\b|\bexplain(ed|ation)?\b|\bthing\b|\bremind me\b|"
    r"\bwhat do (they|you|u) mean by\b|\bwhat is meant by\b|\bin (a )?nutshell\b|"
    r"\bin (simple|plain|easy|basic) (words|terms|english)\b|\bsimply\b|\bgist\b|"
    r"\bsummary\b|\bsummari[sz]e\b|\boverview\b|\bmeaning\b|"
    r"\bis (that|this|he|she) the\b.{0,25}\b(guy|man|woman|person|one|bloke|lady|model)\b",
    re.IGNORECASE)
NAME_FILLER = re.compile(
    r"\b(who|what|wat|wot|whos|whats|wats|is|are|was|were|r|s|the|a|an|tell|me|about|explain|"
    r"describe|info|on|anything|do|does|they|you|u|mean|meant|by|remind|again|pls|please|"
    r"model|models|theory|theories|framework|approach|concept|principle|idea|cycle|of|he|she|"
    r"it|exactly|actually|this|that|thing|person|guy|bloke|author|writer|theorist|name|called|"
    r"one|in|coaching|mentoring|known|for|them|their|his|her|again|quick|q|question|nutshell|"
    r"simple|simply|plain|easy|basic|words|terms|english|gist|summary|brief|briefly|short)\b",
    re.IGNORECASE)
# "who should I cite for…", "any models for…", "theorists for 7015 2.1"
CITE_CUE = re.compile(
    r"\b(cite|citing|citation|citations|theorists?|authors?|academics?|writers?|"
    r"reading list|literature)\b"
    r"|\b(references?|refs?)\s+(for|on|about|to use)\b"
    r"|\bbooks?\s+(on|about|for)\b"
    r"|\bwho\s+(should|could|can|do|would|shud|shld|cud|wud)\s+(i|we|u)\s+(read|use|cite|"
    r"quote|reference|"
    r"mention|look at|include|site|sight)\b|\bwho to (read|cite|use|quote|reference|site)\b"
    r"|\bwho (researched|studied|has researched|has written)\b"
    r"|\bwho (am i|are we|r we) (meant|supposed|expected) to (read|use|cite|quote|reference)\b"
    r"|\bwho (should|could|shud|do) (i|we) be (quoting|citing|reading|referencing|using)\b"
    r"|\b(models|names|theorists|authors|writers|tools|frameworks|theories)\b[^?.]{0,30}"
    r"\b(\d{4}|d5\.?\d+|the unit|the "
    r"guidance) (suggests?|lists?|names?|mentions?|recommends?|gives?)\b"
    r"|\bwho do (they|you|u) (want|expect) (me|us) to (read|use|cite|quote|reference)\b"
    r"|\b(i|we) (should|could|can|might) (read|read up on|cite|quote|reference)\b"
    r"|\b(names|authors|research|researchers|theorists|models|theories|questionnaires|"
    r"inventories|frameworks) ((i|we) (can|could|should|might)|(can|could|should|might) (i|we)) "
    r"(use|cite|read|mention)\b"
    r"|\bwho (does|do) (it|they|the \w+( \w+)?|\d{4}|d5\.?\d+) (list|name|mention|suggest|"
    r"recommend|cite)\b"
    r"|\bwho\s+(wrote|writes|talks|talked|says|said)\s+(about|on)\b"
    r"|\b(models?|theories|frameworks)\s+(am i|are we|r we|do i|should i|shud i|can i|could i)"
    r"\s+(meant to|supposed to|expected to|need to|to)?\s*(use|cite|read|evaluate|compare|"
    r"mention|reference|include|look at)\b"
    r"|\b(models?|theories|theorys|theorists|frameworks|inventories|questionnaires|writers|"
    r"authors|names|people|ppl|ones)\b"
    r"[^?.]{0,40}\b(does|do|did) (it|they|the \w+( \w+){0,5}|\d{4}|d5\.?\d+) "
    r"(list|name|mention|suggest|recommend|want (me|us) to (compare|use|cite|read|evaluate))\b"
    r"|\b(models?|theories|theorys|tools?|techniques?|frameworks?) (named|listed|mentioned|"
    r"suggested) (in|for)\b"
    r"|\bwho (do|does|did) (they|it|cmi|ilm|the guidance|the unit) (suggest|recommend|mention|"
    r"name)\b"
    r"|\b(theory|theories|model|models) (ppl|people|names)\b"
    # "whos the main person for action learning", "key names on coaching culture"
    r"|\bwho('?s| is| are| r)? (the )?(main|key|big|go-?to|top) (person|people|ppl|names?|"
    r"thinkers?|experts?) (for|on|behind|about)\b"
    r"|\b(main|key|big) (names|thinkers) (for|on|in|about)\b"
    r"|\bresearch ((i|we) (should|shud|could|can|might)|(should|shud|could|can) (i|we)) "
    r"(look at|read|use|cite)\b"
    r"|\b(models?|theories|frameworks)\s+(can|could|should|shud)\s+(i|we|u)\s+(use|cite|"
    r"read|mention|reference|include|look at)\b"
    r"|\b(which|what|any|good)\s+(models?|theories|frameworks)\s+(for|on|about|could|can|"
    r"should|would|do|are there|to use)\b"
    r"|(?P<model_for>\b(models?|theories|theorys|frameworks)\s+(for|on|about)\b(?!.*\bhow\b))",
    re.IGNORECASE)


# Asks which theorist or model the message describes: "whose model is reaction, learning,
# behaviour, results", "the six principles of influence one, who wrote it".
IDENTIFY = re.compile(
    r"\bwhose (model|theory|idea|framework|work|is (it|that|this))\b"
    r"|\b(what|which) (model|theory|framework|one) is (that|this|it)\b"
    r"|\bwhat'?s (that|this|it|the model|the theory) called\b"
    r"|\bwho (came up with|wrote|developed|invented|created|thought up) (it|that|this|the)\b"
    r"|\bwhose (r|are|is) (they|these|those|it|that|this)\b",
    re.IGNORECASE)
# A theorist or model described rather than named, in a short message: "the unfreeze refreeze
# bloke", "that window one with the blind spot" (DESCRIBED_WORDS at most).
DESCRIBED = re.compile(
    r"\b(bloke|guy|fella|fellow|woman|lady|man|chap|dude|geezer|psychologist|professor)\b"
    r"|\b(the|that) (\w+ ){1,2}one (with|where|about|that|on)\b"
    r"|\b(the|that) one (with|where|about|that|on)\b", re.IGNORECASE)
DESCRIBED_WORDS = 12
# Beside an AC reference, a question for its list of models: "which models r listed in 7002
# 2.1", "7002 1.3 frameworks".
MODELS_ASKED = re.compile(r"\b(which|what|any)\s+(\w+\s+){0,3}(models|frameworks|theories)\b"
                          r"|\b(models|frameworks|theories)\W*$", re.IGNORECASE)
# A question about the one name it holds, though it says "cite": "johari, is that legit
# enough to cite at level 5".
ABOUT_THE_NAME = re.compile(
    r"\b(is|are|was) (that|it|this|he|she|they|them)\b.{0,30}\b(cite|citing|reference|quote|"
    r"legit|credible|valid|relevant|reliable|respected|outdated|dated)\b", re.IGNORECASE)
# The name itself judged, the judgement ending its clause: "is mcgregor x and y still legit or a
# bit dated", "cotter 8 steps ok for my essay?", "is hofstead the right one for…" (not "legit
# ways to influence people").
NAME_JUDGED = re.compile(
    r"\b((still )?(legit|credible|outdated|dated|any good|a proper (model|reference|theory|"
    r"source)|a real (model|thing|theory)|actually true|the right (one|model|theory|name)))"
    r"(?=\W*$|\s*[?,.!]|\s+(or|for|to|enough|at|in)\b)"
    r"|\b(ok|okay|alright) (for|to (use|cite|quote|reference)) (my|in my)\b", re.IGNORECASE)


def model_for_only(text: str) -> bool:
    """The only cue is "… model for": with a model named before it ("kirkpatrick model for my
    evaluation") the learner has chosen the model and asks where it fits."""
    return all(m.group("model_for") for m in CITE_CUE.finditer(text))


# The body, level or unit an AC is asked of: "which ILM AC", "which 7018 criterion".
_OF_UNIT = r"((ilm|cmi|level \d|l\d|unit \w+|\d{4}(v1)?|d5\.?\d+) )?"
# "which ac is that", "where do i write about…": the learner asks where something goes in the
# course, so the question is in scope whatever the ranking's confidence, and not a name lookup.
# Asks which part of the course something goes in: "which bit", "where in 7019", "pdp bit
# where".
_IN_THE_COURSE = (rf"\bwhich {_OF_UNIT}(acs?|criteri\w*|assessment criteri\w*|bit|bits|part|parts|"
                  r"section|lo|outcome|question|task)\b"
                  r"|\bwhere in\b|\bwhat (ac|bit|part|section) (is|covers|does)\b"
                  r"|\b(bit|part|section)\s+where\b")
IN_THE_COURSE = re.compile(_IN_THE_COURSE, re.IGNORECASE)
# … or just where: "where do i put my swot", "where does the action plan go", "where?"
PLACEMENT = re.compile(
    rf"{_IN_THE_COURSE}|\bwhere\W*$"
    r"|\bwhere (do|does|can|could|should|would|shall) (i|we|u|you|it|this|that|they|these|"
    r"those)\b"
    r"|\bwhere (to|does (it|this|that)) (go|fit|put|write|belong)\b"
    r"|\bwhere (does|do|should|would|can|could) (the|my|our|a|an|all) (\S+ ){0,4}?(go|fit|"
    r"belong|sit)\b", re.IGNORECASE)
# Asks for an AC outright, so not for a qualification fact: "12 hours of practice, which ac".
ASKS_FOR_AC = re.compile(rf"\b(which|what) {_OF_UNIT}(acs?|criteri\w*|assessment criteri\w*)\b",
                         re.IGNORECASE)


# -- everyday senses of the course's words -----------------------------------------------------

# "coach" the bus, the sports coach, the coach for hire; mentoring and tutoring for children.
_EVERYDAY_SENSE = re.compile(
    r"\b(book|catch|get|take|getting|booked|booking) (me )?(a|the|on the) coach\b"
    r"|\bcoach (to|from|trip|trips|station|holiday|tour|travel|ticket|tickets|driver|fare|times?)\b"
    r"|\bcoach (hire|firms?|compan(y|ies)|operators?)\b|\b(firms?|compan(y|ies)) near\b"
    r"|\baway ?days?\b"
    r"|\b(national express|megabus|bus station|flights?|bus|buses|minibus|taxi)\b"
    r"(?! (school|schools|simulator|sim|crew|deck|instructors?|training|operations|company))"
    r"|\b(the|a|by|on the|get the) train\b"
    r"|\b(divorce|break ?up|wedding|dating|weight loss|diet|my marriage)\b"
    r"|\b(football|netball|rugby|cricket|tennis|hockey|swimming|swim|golf|boxing|athletics|"
    r"gymnastics|basketball|gym|fitness|pe|sports?|under \d+s?|u\d+s|drills?|badges?|"
    r"referee)\b"
    r"|\b(life|dating|fitness|personal|vocal|singing|driving|nutrition|wellness|career) coach"
    r"(es|ing)?\b"
    r"|\b(recommend|find|hire|hiring|afford|cost of|price of|pay for) (me )?(a|an|some) (good |"
    r"decent |cheap )?(coach|mentor|tutor)\b"
    r"|\bfranchise\b|\bsubscription\b|\bapps?\b"
    r"|\b(my|our) (kids?|sons?|daughters?|children|child)\b"
    r"|\b(maths|math|english|science|gcse|homework|exam) (tutor|tutoring|mentor|coaching)\b"
    r"|\b(odyssey|homer|greek myth\w*|mythology|shakespeare|novel|poem|netflix|film|movie)\b"
    # an induction hob, swotting up, the driving theory test
    r"|\binduction (hobs?|cookers?|pans?|cooking|motors?|loops?|charg\w*|heat\w*)\b"
    r"|\bswot(ting|ted)? up\b|\b(driving )?theory test\b|\bdriving theory\b"
    # games, the handbag brand, benefits and borrowing
    r"|\b(fifa|career mode|football manager|xbox|playstation|ps5|nintendo|elden ring|"
    r"video games?|gaming|fortnite|minecraft)\b|\bcoach (bags?|handbags?|purses?|brand|outlet)\b"
    r"|\b(universal|tax) credits?\b|\bcredit (cards?|scores?|ratings?|checks?|unions?)\b"
    # school years, blogs, family trees, building safety, the family courts, renting
    r"|\byear ([1-9]|1[0-3])\b(?! (of|in|at|on|into|since|ago|plan|review))|\b(primary|secondary) "
    r"school\b|\bat school\b|\bks[1-5]\b|\b(my|a) (\w+ )?(blog|vlog|podcast|tiktok|youtube "
    r"channel)\b"
    r"|\bfamily (history|tree)\b|\bancestry\b|\bgenealogy\b"
    r"|\bbuilding (regulations|regs|safety act)\b|\bgrenfell\b"
    r"|\b(supervision|care|court|custody) orders?\b|\bsocial services\b"
    r"|\blandlords?\b.{0,20}\b(rent|renting|deposit|tenancy|repairs?)\b|\btenancy deposit\b",
    re.IGNORECASE)
# The learner's own job hunt: nothing in the units answers it, whatever job it is for.
_JOB_HUNT = re.compile(
    r"\b(job|role) interview\b|\b(i have|i've got|ive got|i got|got|going for|applying for|"
    r"prep(are)? for|preparing for) (an? |my |the )?(job )?interview\b"
    r"|\binterview (for|with) (a|an|the) (\w+ ){0,5}(job|role|position|post|vacancy)\b"
    r"|\bjob (application|hunting|search|offer)\b|\b(my|a) (cv|resume|covering letter|cover "
    r"letter)\b", re.IGNORECASE)
# What ties a question to the course: its assessment, its roles, work.
_DOMAIN_TERMS = re.compile(
    r"\b(acs?|units?|assignments?|assessment|criteri\w*|learning outcomes?|los?|cmi|ilm|"
    r"level [57]|l[57]|diploma|certificate|qualification|pdp|coachees?|mentees?|supervision|"
    r"supervisor|staff|employees?|colleagues?|organi[sz]ations?|org|workplace|at work|"
    r"company|business case|managers?|leadership|line manager|direct reports?|reflective|"
    r"evaluation|culture|programme|scheme|roi|return on investment|stakeholders?|"
    r"\d{4}(v1)?|d\s?5\.?\d\d|\d\.\d)\b", re.IGNORECASE)


# The course itself named: a unit, an AC, the awarding bodies, the assignment.
_COURSE_NAMED = re.compile(r"\b(\d{4}(v1)?|d\s?5\.?\d\d|\d\.\d|acs?|units?|cmi|ilm|"
                           r"assignments?|level [57]|l[57]|qualification|qrn|cert|certificate|"
                           r"diploma|course)\b", re.IGNORECASE)


def everyday_sense(text: str) -> bool:
    """The course's words used in an everyday sense, with more of that sense than of the
    course in the question: "book a coach to york", "rugby coaching for the under 12s"; or
    the learner's own job hunt, the course unnamed ("got a job interview for a team leader
    role")."""
    everyday = len(_EVERYDAY_SENSE.findall(text))
    # a course word inside an everyday phrase ("supervision order") is not the course's
    course = len(_DOMAIN_TERMS.findall(without_everyday(text)))
    return (everyday > 0 and everyday > course) or bool(
        _JOB_HUNT.search(text) and not _COURSE_NAMED.search(text))


def without_everyday(text: str) -> str:
    """The text without its everyday phrases, whose words name nothing the course cites
    ("swot up for the theory test" names no SWOT)."""
    return _EVERYDAY_SENSE.sub(" ", text)


# -- units -------------------------------------------------------------------------------------

# Words that ask about a whole unit rather than something in it.
UNIT_WORDS = frozenset(
    "what whats wat is are the a an of in on unit units about aims aim overview summary "
    "summarise summarize cover covers covered outline learning outcomes outcome los criteria acs "
    "topics topic tell me explain describe point purpose for this that do does involve mean it "
    "pls please quick can you u give show list all so actually really nutshell brief briefly "
    "basically exactly whole main simple simply terms words plain english easy module im i'm "
    "new just started starting hi hiya hello hey thanks ta".split())
# How to plan a unit's assignment: "can you help me plan my 7018 assignment".
_PLANNED = r"(\d{4}(v1)?|d5\.?\d+|unit|assignment|essay|report|written work)\b"
PLANNING = re.compile(
    rf"\b(plan|planning|structure|structuring|organise|organize|lay out)( out)? (my|our) {_PLANNED}"
    rf"|(\bhelp (me|us) (to )?|\bhow (do|should|shall|can|would) (i|we) |^)(plan|structure)"
    rf"( out)? (the |this )?{_PLANNED}", re.IGNORECASE)
# A unit spoken of, by any description: "the ILM unit where…", "the one about ethics".
A_UNIT = re.compile(r"\b(unit|module|option)\b|\bthe one (about|on|where|with|that|for)\b"
                    r"|\bone (at|in|for|on) (level|l|the ilm|ilm|cmi)\b", re.IGNORECASE)
# Asks which unit covers something: "which Level 7 unit deals with coaching's strategic
# impact", "which ilm unit's the one where ye actually dae the coaching hours".
_WHICH_UNIT = (r"\bwhich (\S+ ){0,3}?(unit|module)('?s| is)? (the one (where|about|on|with|that|"
               r"for)|about|deals? with|dealing with|covers?|covering|looks? at|talks? about|"
               r"focus(es)? on|is on)\b|\bwhich (\S+ ){0,3}?(unit|module)('?s| is) the (\S+ ){1,3}"
               r"one\b")
# Asks what a unit is about, whatever else the message says: "what is the 5001 unit about,
# the personal development one", "aims of the action learning unit".
UNIT_ASK = re.compile(
    r"\b(aims?|overview|summary|outline|purpose|point) of (the )?(\S+ ){0,5}?(unit|module)\b"
    r"|\bwhat('?s| is| does)? (the )?(\S+ ){0,5}?(unit|module) (is |'s )?(about|cover|covers|for)\b"
    r"|\b(unit|module|option|\d{4})\b.{0,30}\b(what'?s|whats|what is) in (it|there)\b"
    r"|\b(what'?s|whats|what is) (\S+ ){0,6}?about\b(?! (a|an|the|my|our|how|what|when|why)\b)"
    r"|\btell (me|us) (a ?bit |abit |more |something )?about\b"
    # "is 6001 level 6 or 7", "what level is unit 6001"
    r"|\b(what|which) level is\b|\bis (unit )?(\d{4}(v1)?|d5\.?\d+) (a )?(level|l) ?\d\b"
    # "which Level 7 unit deals with…"; a unit only described: "the level 5
    # unit about managing it across the organisation", "level 7 embedding c&m unit?"
    rf"|{_WHICH_UNIT}"
    r"|^(the |that |this )?(\S+ ){0,4}?(unit|module) (about|on|where|covering|that covers|"
    r"that deals with|dealing with)\b"
    r"|^(?!(is|are|was|do|does|did|can|could|should|must|have|has|will|would|i|we|my|how|"
    r"what|whats|which|why|when|where|who)\b)"
    r"(?!.*\b(mandatory|optional|compulsory|elective)\b)(the |that |this )?(\S+ ){0,4}?"
    r"(unit|module)\W*$"
    r"|^(the|that) (\S+ ){1,3}one (at|in|for|on) (level|l|the ilm|ilm|cmi) ?\d?\W*$"
    r"|\b(what|wot|wat) else is (in|on) (it|there)\b"
    r"|\bwhat (does|do) (it|that|this|the unit|the module|\d{4}(v1)?|d5\.?\d+) (cover|involve)\b"
    r"|\b(what|wot|wat)('?s| is| will| does)? (\S+ ){0,3}?(going to|gonna|gna) (cover|involve|"
    r"be about)\b"
    r"|\b(what|wot|wat) (\S+ ){0,2}(covers|involves)\b|\bscope of\b"
    r"|\b(what'?s|whats|what is) involved in (the|that|this|unit|\d{4}|d5)\b"
    r"|\bwhat (do|will|would) (we|i|you|u) (study|learn|cover|do) (in|on) (the|that|this|unit|"
    r"\d{4}|d5)\b"
    # "which things we study in 5016", "i have to do 7019 next, what is it"
    r"|\b(which|what) (things|topics|subjects|stuff) (do |will )?(we|i|you|u) (study|learn|do|"
    r"cover)\b|\b(unit|module|\d{4}|d5\.?\d+)\b.{0,40}\b(what|wot|wat)('?s| is) (it|that)\W*$"
    r"|\b(what'?s|whats|what is|what gets|what'?ll be) covered\b"
    r"|\bin (one|two|three|a few|a couple of|\d) (lines?|sentences?|bullets?)\b"
    r"|\b(summary|summari[sz]e|overview|nutshell|gist|rundown|lowdown)\b"
    r"|\bwhat (do|will|would|shall) (i|we|u) (actually )?(have|need|got) to do (in|for|on)\b",
    re.IGNORECASE)
HOW = re.compile(r"\bhow (do|can|should|would|to|does|did) (i|we|you|u)?\b", re.IGNORECASE)


# How to say a greeting in another language is not a greeting: "thank you in Polish?".
TRANSLATION = re.compile(
    r"^(how (do|would|can|to) (you|u|i|we) (say|write|spell) )?['\"“‘]?(thank you|thanks|"
    r"hello|hi|good (morning|afternoon|evening|night)|goodbye|bye|cheers|please|sorry|"
    r"welcome)['\"”’]? in (polish|french|spanish|german|italian|welsh|urdu|punjabi|hindi|"
    r"arabic|portuguese|romanian|chinese|mandarin|cantonese|japanese|gaelic|irish|bengali|"
    r"gujarati|somali|turkish|russian|greek|dutch|lithuanian|bulgarian|tamil|korean)\s*\??$",
    re.IGNORECASE)


# -- qualification facts -----------------------------------------------------------------------

# Marks a learner got: "17 out of 36", "15/40".
_MARKS = r"\b(\d{1,3}) ?(?:out of|/) ?(\d{1,3})\b"
# Where to read for the course: "where can i find journals for my assignment".
_READING = (r"\b(management ?direct|ebsco|business source|e-?journals?|study resources|online "
            r"library|study skills|reading list)\b|\b(where|how) (can|do|could|should|would) "
            r"(i|we) (find|get|access|read|get hold of)\b.{0,30}\b(journals?|articles|books|e-?books|"
            r"reading|research|resources|library)\b")
READING = re.compile(_READING, re.IGNORECASE)
# What each fact topic sounds like. The first that matches decides: specific topics (appendices,
# pass marks) come before general ones (word count, credits).
FACT_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (topic, re.compile(pattern, re.IGNORECASE)) for topic, pattern in (
        ("appendices", r"\bappend(ix|ices|ixes)\b|\b(count|included?|including) (towards?|in) "
                       r"(the )?(word|\d{3,4}\b)|\b(ref(erence)? lists?|bibliography|reference "
                       r"section)\b.{0,30}\b(count|included?|part of)\b|"
                       r"\breferences? (count|included)|\bword count\b.{0,30}\b(include|count)"),
        ("pass_mark", r"\bpass ?marks?\b|\bminimum marks?\b|\bmarks? (do i need|needed|to pass)|"
                      r"\bcompensat|\bhalf (the )?marks\b|\bhow many marks\b|"
                      rf"{_MARKS}.{{0,60}}\b(pass|passed|enough|referr\w*|fail\w*)\b|"
                      rf"\b(pass|passed|enough|referr\w*|fail\w*)\b.{{0,60}}{_MARKS}"),
        ("quality_of_work", r"\b(look(ing)? for|want to see|expect\w*)\b.{0,20}\b(apart from|"
                            r"besides|other than|beyond|as well as|on top of) (the )?(acs|"
                            r"criteria|assessment criteria)\b|\bwhat makes (a )?good "
                            r"(assignment|essay|answer|piece of work|submission)\b|"
                            r"\blink(ing)? theory (to|and|with) practice\b"),
        ("chartered_manager", r"\bchartered (manager|status)\b|\bcmgr\b"),
        ("assessment", r"\bwho (marks|assesses|grades|checks|moderates|verifies)\b|"
                       r"\bcan (i|we) (use|base it on|write about|set it in|do it on|use examples "
                       r"from) (my|our) own (organisation|organization|workplace|company|"
                       r"employer)\b"),
        ("support", r"\b(tutorials?|tutorial support|induction)\b.{0,20}\bhours?\b|"
                    r"\bhours?\b.{0,20}\b(tutorials?|tutorial support|induction)\b"),
        ("grading", r"\bgrad(e|es|ed|ing)\b|\bmerit\b|\bdistinction\b|\bpass or fail\b|"
                    r"\b(can|could|do|will|how|when) (i|we|you|u)\b.{0,20}\bresubmi\w*|"
                    r"\bresubmi\w* (rules?|policy|limit|deadline)|\bre-?sit\b|"
                    r"\bpass/fail\b|\bfail(ed)? (a|the|my|an?) (unit|assignment|task|module|"
                    r"section|criterion|ac)\b|\bwhat happens if i fail\b|\brefer(red|ral)\b|"
                    r"\bhow (is|are) (it|they|we|i|my work) (marked|graded)\b"),
        ("word_count", r"\bword ?counts?\b|\bhow many words\b|\bwords? (limit|count|per|for each|"
                       r"each|needed|do i need)\b|\b\d{3,4}\s*words\b|\bhow long (should|does|do|"
                       r"must|is) (it|my|the|each|an?)\b.{0,20}\b(assignment|essay|answer|unit|"
                       r"work|be)\b|\blength of (the|my|each|an?)\b"),
        ("ilm_hours", r"\b(coaching|mentoring|practice|delivered?|supervised?) hours?\b|"
                      r"\bhours? (of|coaching|mentoring)\b|\b12 hours\b"),
        ("credits", r"\bcredits?\b.{0,25}\bhours?\b|\bhours?\b.{0,25}\bcredits?\b"),
        ("tqt_glh", r"\bglh\b|\btqt\b|\bguided (learning )?hours?\b|\bguided learning\b|"
                    r"\b(expected|meant|supposed) to spend\b|\bhow (long|much time) (should|do|"
                    r"will|am|are) (i|we)( be)?( \w+)? (spend|study|put in)\b|"
                    r"\btotal qualification time\b|"
                    r"\bhow many hours\b|\bhours? (of study|studying|learning|is the|does the)\b|"
                    r"\bstudy hours\b|\btime commitment\b|"
                    r"\bhours? (of|for) (teaching|tuition|study|classes|contact|taught)\b|"
                    r"\b\d{2,4} ?(hours?|hrs)\b.{0,60}\b(enough|minimum|under|too (few|little)|"
                    r"less than|required)\b"),
        ("credits", r"(?<!universal )(?<!tax )\bcredits?\b(?! (score|card|rating|check|union|"
                    r"limit))|\b(get|achieve|pass|earn|gain) (the |a |my )?(level \d |l\d )?"
                    r"(award|certificate|cert|diploma)\b.{0,15}\b(with|by doing|if|just)\b"),
        ("rules_of_combination", r"\b(do|must|have to|need to|got to|gotta) (i |we )?(do|take|"
                                 r"complete|pass)\b.{0,20}\b(unit|units|all|every|\d{4})\b|"
                                 r"\bmandatory\b|\bcompulsory\b|\bgroup [ab]\b|"
                                 r"\boptional (units?|ones?|modules?)\b|\b(units?|\d{4}(v1)?|"
                                 r"d5\.?\d+|modules?) (is|are) optional\b|\b(is|are) (unit )?"
                                 r"(\d{4}(v1)?|d5\.?\d+|the \w+ unit) optional\b|"
                                 r"\brules? of combination\b|\bwhich units\b|\bhow many units\b|"
                                 r"\bwhat'?s left\b|\bwhat else (do i|have i got to|is there)\b|"
                                 r"\b(do|take|study|pass) (\d{4}|d5\.?\d+|(the|this|that|one) "
                                 r"unit) (on its own|by itself|alone|standalone)\b|"
                                 r"\bchoose (my )?units\b|\belective"),
        ("qualification_numbers", r"\bqualification (reference )?(number|no|code|ref)\b|"
                                  r"\b(qrn|qan)\b|\bofqual (number|code|ref\w*)\b|"
                                  r"\bcmi code\b|\breference number\b"),
        ("use_of_work", r"\b(share|shares|sharing|pass|passes|passing|show|shows|use|uses|"
                        r"using|send|sends|sending|keep|keeps)\b.{0,30}\b(my|our|learners'?|"
                        r"the|people'?s) (assignments?|work|scripts?|submissions?|essays?)\b"
                        r".{0,40}\b(other people|others|anyone|round|around|standardis\w*|"
                        r"examples?|anonym\w*)\b|\bwho (else )?(sees|reads|can see|will see|"
                        r"gets to see|looks at) (my|our) (\w+ )?(assignments?|work|scripts?|"
                        r"submissions?)\b"),
        ("regulation_dates", r"\bstill (be )?(running|available|valid|going|offered|live|"
                             r"recognised|around)\b|"
                             r"\b(qualification|course|diploma|certificate|award|level \d|it)\b"
                             r".{0,30}\b(end|ends|ending|expire|expires|expiry|withdrawn|"
                             r"discontinued)\b|\b(review|operational start|regulation (end|start)) "
                             r"date|\bregulat(ed|ion)\b|\bofqual\b|"
                             # "when did centres first start running these quals"
                             r"\bwhen (did|was|were) (centres?|cmi|ilm|(these|this|the) "
                             r"(\w+ ){0,3}(qualifications?|quals?|courses?|diplomas?|"
                             r"certificates?|awards?))\b.{0,30}\b(start|started|begin|began|launch|"
                             r"launched|introduced|first (offered|run|ran|available))\b|"
                             r"\b(start|launch) date\b|\bavailable (since|from)\b|"
                             r"\bsince when\b"),
        ("completion_time", r"\bhow long (do|will|does|have) (i|we|it) (have|take|got|get)\b|"
                            r"\bhow long have i\b|\bdeadline\b|\btime ?limit\b|"
                            r"\bhow long to (finish|complete)\b|\bregistration (period|valid)|"
                            r"\bfinish (it|the course) (in|by)\b|\bhow many (years|months)\b"),
        ("assessment", r"\bhow (is|are|will|do they)\b.{0,30}\b(assessed|marked)\b|\bassessment (method|methods|process)\b|\bexternal(ly)? "
                       r"(assess|verif|moderat)|\bwork.based assignment\b|\bhow (do|does) (the )?"
                       r"(assessment|marking) work\b|\bis there an? exams?\b|\bexams?\b"),
        ("own_work", r"\bharvard\b|\breferenc(e|ing) (style|system)\b|\bplagiari|\bturnitin\b|"
                     r"\bown work\b|\bcheat|\bai (tools?|detect)|\bchatgpt\b.{0,30}\b(allowed|ok)"),
        ("entry_requirements", r"\bentry requirements?\b|\bwho can (do|take|enrol|apply)\b|"
                               r"\bprerequisites?\b|\bdo i need (a|any) (degree|qualification)|"
                               r"\bmin(imum)? age\b|\bage limit\b"),
        ("progression", r"\bprogress(ion)? (to|onto|route)|\bafter (this|the) (course|"
                        r"qualification|diploma|certificate)|\bwhat next\b|\bnext step\b|"
                        r"\bmove on to\b|\bnext (qualification|course|qual)\b|"
                        r"\bafter (i|we) (complete|finish|pass|get|do)\b.{0,40}\b(qualification|"
                        r"certificate|diploma|award|course)\b"),
        ("equivalence", r"\bequivalen|\bdegree level\b|\b(same|equal|like)\b.{0,15}\b(degree|"
                        r"masters|bachelors|phd)\b|\bmasters level\b"),
        ("language", r"\b(welsh|irish|gaelic)\b|\bin english\b|\blanguage of\b"),
        ("reasonable_adjustments", r"\breasonable adjustments?\b|\bspecial consideration\b|"
                                   r"\bdyslexi|\bdisabilit|\bextra time\b"),
        ("prior_learning", r"\bprior learning\b|\brpl\b|\bapl\b|\bexempt|"
                           r"\balready (done|have|did) (a|the|some)\b.{0,30}\b(unit|qualification|"
                           r"course)"),
        ("membership", r"\bmembership\b|\bmember of (the )?cmi\b|\bcmi member"),
        ("delivery", r"\b(online|distance|blended|face to face|classroom)\b.{0,30}\b(course|"
                     r"learning|study|delivered)|\b(do|study|take|complete) (it|the (course|"
                     r"qualification|diploma|certificate|award|level \d)|the (ilm|cmi))( \w+)? "
                     r"(online|remotely|from home|by distance)\b|"
                     r"\bhow is (it|the course) (delivered|taught)\b"),
        ("support", r"\binduction\b|\btutorials?\b|\bsupport (from|with) (the )?(centre|tutor)"),
        ("purpose", r"\b(who|what (kind|sort|type) of (people|person|managers?)) (is|are) (it|this|"
                    r"these|the (\w+ ){0,4}(qualifications?|course|diploma|certificate|award|"
                    r"level \d)) (aimed at|for|designed for|meant for|intended for)\b|\bpurpose of "
                    r"(the|this) (qualification|course|diploma|certificate|award)\b|\b(aimed at|"
                    r"designed for|intended for)\b|\b(is|are) (it|this|the (\w+ ){0,4}"
                    r"(qualification|course|diploma|certificate|cert|award|level \d)) (for|"
                    r"suitable for|right for|meant for) (new|experienced|senior|junior|first.line|middle|"
                    r"people|someone|me|managers|leaders)\b"),
        ("study_resources", _READING),
    ))
MARKS_SCORED = re.compile(_MARKS, re.IGNORECASE)
# Units done as a range: "5014 to 5019", "7015-7018".
UNIT_RANGE = re.compile(r"\b(\d{4})(?:v1)?\s*(?:to|-|–|through|thru)\s*(\d{4})(?:v1)?\b",
                        re.IGNORECASE)
QUALIFICATION_KIND = re.compile(r"\b(award|certificate|cert|diploma)\b", re.IGNORECASE)
LEVEL_WORD = re.compile(r"\b(?:level|lvl|l)\s?([57])\b", re.IGNORECASE)
BODY_WORD = re.compile(r"\b(ilm|cmi)\b", re.IGNORECASE)


# Other qualifications and bodies: the units cannot say anything about them.
OTHER_QUALIFICATIONS = re.compile(
    r"\b(ilm|cmi) (level|lvl|l) ?[1-4]\b|\bilm (level |lvl |l)?[1-46-8]\b"
    r"|\blevel [1-4] (award|certificate|cert|diploma|course|qualification)\b"
    r"|\b(degrees?|dissertation|phd|doctorate|open university|ucas|btec|"
    r"cipd|icf|emcc|ac credential|bacp|ukcp|prince ?2|pmp|apm|aat|acca|cima|nmc|nvq|gcses?|"
    r"a ?levels?(?! ?\d)|"
    r"mba|itil|scrum|agile cert\w*|nebosh|iosh|adi|driving instructors?|personal trainers?)\b",
    re.IGNORECASE)
# … with its level and kind, so what is left of a message says whether it names this
# course's too ("cipd level 5 associate diploma" names none, "a degree … the L7 diploma" does).
OTHER_QUALIFICATION_NAMED = re.compile(
    rf"(?:{OTHER_QUALIFICATIONS.pattern})(?:\s+(?:level|lvl|l)\s?\d)?"
    r"(?:\s+(?:\w+\s+)?(?:award|certificate|cert|diploma))?", re.IGNORECASE)


def fact_topics(text: str) -> list[str]:
    """The qualification-fact topics a question may ask about, most specific first."""
    return [topic for topic, pattern in FACT_TOPICS if pattern.search(text)]
