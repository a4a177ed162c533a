"""Every command and every button press, declared once: its name, its help line, where it
works (private chats, groups) and who may run it (anyone, tutors, admins).

From these declarations come dispatch, the permission checks, /help for each role and the
command menus for each scope; nothing else lists commands. Features register their functions
with the module-level `REGISTRY` (`bot.conversation.study`, `tracking`, `tutor`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Flag, auto

from bot.conversation.buttons import Press
from bot.conversation.replies import Button, Buttons, Menu, MenuScope, Reply, esc
from bot.conversation.turn import Turn
from bot.services.tables import Role

CommandFunction = Callable[[Turn, str], list[Reply]]
PressFunction = Callable[[Turn, Press], list[Reply]]

# /help's sections, in the order shown; a command names the one it belongs to.
SECTIONS = ("Ask me", "Keep track", "Tutors", "Admins")
PRIVATE_ONLY = "That is private: message me directly and I'll show you there."
REFUSED = {Role.tutor: "That command is for tutors. If you are one, ask your centre's admin "
                       "to add you.",
           Role.admin: "That command is for admins."}


class Where(Flag):
    """The chats a command or button works in."""

    private = auto()
    group = auto()
    anywhere = private | group


@dataclass(frozen=True)
class Command:
    name: str
    usage: str  # an example as /help shows it: "/ac 5015 2.3"
    help: str  # one line: what it does (in /help and the menu)
    section: str
    run: CommandFunction
    where: Where
    audience: Role  # the least role that may run it
    elsewhere: str  # the reply where it does not work


@dataclass(frozen=True)
class PressHandler:
    action: str
    run: PressFunction
    where: Where
    audience: Role
    elsewhere: str  # the toast where it does not work


class Registry:
    """The commands and button actions, with the checks every one of them gets."""

    def __init__(self) -> None:
        self.commands: dict[str, Command] = {}
        self.presses: dict[str, PressHandler] = {}
        self.notes: dict[str, list[str]] = {}

    def command(self, name: str, usage: str, help_line: str, *, section: str,
                where: Where = Where.private, audience: Role = Role.learner,
                elsewhere: str | None = None) -> Callable[[CommandFunction], CommandFunction]:
        """Declare `/name`; the decorated function gets the turn and the text after it."""
        assert section in SECTIONS and name not in self.commands, name
        if elsewhere is None:
            elsewhere = (PRIVATE_ONLY if where == Where.private
                         else f"Send /{name} in the cohort's group chat, after adding me there.")

        def register(function: CommandFunction) -> CommandFunction:
            self.commands[name] = Command(name, usage, help_line, section, function, where,
                                          audience, elsewhere)
            return function
        return register

    def press(self, *actions: str, where: Where = Where.anywhere,
              audience: Role = Role.learner,
              elsewhere: str = "Only in a private chat with me.",
              ) -> Callable[[PressFunction], PressFunction]:
        """Declare what pressing a button with one of these payload actions does."""
        def register(function: PressFunction) -> PressFunction:
            for action in actions:
                assert action not in self.presses, action
                self.presses[action] = PressHandler(action, function, where, audience, elsewhere)
            return function
        return register

    def note(self, section: str, line: str) -> None:
        """A line of /help that is not a command (what free text does)."""
        self.notes.setdefault(section, []).append(line)

    # -- dispatch, with the checks ----------------------------------------------------------

    def run_command(self, turn: Turn, name: str, args: str) -> list[Reply] | None:
        """The replies to `/name args`; None for a command nobody declared."""
        command = self.commands.get(name)
        if command is None:
            return None
        if not turn.role.includes(command.audience):
            return [Reply(REFUSED[command.audience])]
        if not _works_in(command.where, turn):
            return [Reply(command.elsewhere, _private_chat_button(turn, command.where))]
        return command.run(turn, args)

    def run_press(self, turn: Turn, pressed: Press) -> list[Reply]:
        handler = self.presses[pressed.action]  # buttons.parse() knows only declared actions
        if not turn.role.includes(handler.audience):
            return [Reply("", toast="That is for tutors.")]
        if not _works_in(handler.where, turn):
            return [Reply("", toast=handler.elsewhere)]
        return handler.run(turn, pressed)

    def needs_chat_admin(self, name: str) -> bool:
        """Whether the adapter must ask Telegram if the sender administers the group: only
        for the group commands of tutors (/link)."""
        command = self.commands.get(name)
        return command is not None and command.where == Where.group and \
            command.audience != Role.learner

    # -- what each role sees ----------------------------------------------------------------

    def visible(self, role: Role, where: Where) -> list[Command]:
        return [c for c in self.commands.values()
                if role.includes(c.audience) and c.where & where]

    def help_text(self, role: Role, *, private: bool = True) -> str:
        """/help: the commands this role may run here, by section."""
        shown = self.visible(role, Where.private if private else Where.group)
        parts = []
        for section in SECTIONS:
            lines = [f"• <code>{esc(c.usage)}</code>: {esc(c.help)}" for c in shown
                     if c.section == section]
            if lines:
                lines += [f"• {line}" for line in self.notes.get(section, [])]
                parts.append(f"<b>{section}</b>\n" + "\n".join(lines))
        return "\n\n".join(parts)

    def menu(self, role: Role, where: Where) -> tuple[tuple[str, str], ...]:
        """(command, description) pairs for a command menu."""
        return tuple((c.name, _description(c)) for c in self.visible(role, where))

    def menus(self, staff: dict[int, Role]) -> list[Menu]:
        """Every command menu: private chats and groups for everyone, groups' administrators
        (who may /link), and each tutor's and admin's own private chat (`staff`: Telegram id
        to role). The group list comes last: the adapter sends them in this order."""
        own = [Menu(MenuScope("chat", telegram_id), self.menu(role, Where.private))
               for telegram_id, role in sorted(staff.items())]
        return [Menu(MenuScope("private"), self.menu(Role.learner, Where.private)), *own,
                Menu(MenuScope("group_admins"), self.menu(Role.tutor, Where.group)),
                Menu(MenuScope("group"), self.menu(Role.learner, Where.group))]


def _private_chat_button(turn: Turn, where: Where) -> Buttons:
    """In a group, a private-only command (progress, cohorts, invite links: nothing for the
    group to see) answers with a button that opens the private chat with the bot."""
    if where != Where.private or turn.sender.private:
        return ()
    return ((Button("Open a private chat", url=f"https://t.me/{turn.bot_username}"),),)


def _works_in(where: Where, turn: Turn) -> bool:
    return bool(where & (Where.private if turn.sender.private else Where.group))


def _description(command: Command) -> str:
    text = command.help[:1].upper() + command.help[1:]
    if command.usage != f"/{command.name}":
        text += f", e.g. {command.usage}"
    if command.audience != Role.learner:
        text = f"{command.audience.value.title()}s: {text}"
    return text[:256]


REGISTRY = Registry()
