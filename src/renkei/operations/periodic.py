"""The periodic commands a deployment runs from its timers, and how often each must have run.

``renkei periodic NAME`` runs one of them and records the run (:class:`PeriodicRun`), so that
``renkei doctor`` can say when each last succeeded. Each command is itself safe to run on several nodes
at once (it claims its work with conditional updates), so every node may have the timers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Periodic:
    name: str
    schedule: str  # systemd OnCalendar
    every: timedelta  # doctor warns when the last success is older than this
    label: str
    # The command line run, when it is not the name itself (a sub-command of an app's command).
    argv: tuple[str, ...] = ()

    @property
    def command(self) -> tuple[str, ...]:
        return self.argv or (self.name,)


COMMANDS = {
    entry.name: entry
    for entry in (
        Periodic("send-reminders", "*-*-* 07:00:00", timedelta(days=2), "施設への確認依頼メール"),
        Periodic("send-sharing-digest", "*-*-* 07:30:00", timedelta(days=2), "ケアチームのまとめ通知"),
        Periodic(
            "transitions-send-reminders",
            "*-*-* 07:15:00",
            timedelta(days=2),
            "入退院調整の期限のメール",
            argv=("transitions", "send-reminders"),
        ),
        Periodic(
            "meetings-send-survey-reminders",
            "*-*-* 07:45:00",
            timedelta(days=2),
            "アンケートの回答依頼・リマインダーのメール",
            argv=("meetings", "send-survey-reminders"),
        ),
        Periodic(
            "continuity-send-acp-reminders",
            "*-*-* 08:00:00",
            timedelta(days=2),
            "人生会議の見直し日のメール",
            argv=("continuity", "send-acp-reminders"),
        ),
        Periodic("clearsessions", "*-*-* 03:00:00", timedelta(days=8), "期限切れセッションの削除"),
    )
}
