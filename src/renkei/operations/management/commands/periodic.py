"""``renkei periodic NAME``: run one periodic command and record the run for ``renkei doctor``."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from renkei.operations.models import PeriodicRun
from renkei.operations.periodic import COMMANDS


class Command(BaseCommand):
    help = "定期実行のコマンド（send-reminders など）を実行し、実行結果を記録します（renkei doctor が確認します）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("name", choices=sorted(COMMANDS), help="実行するコマンド")

    def handle(self, *args, name: str, **options) -> None:
        started = timezone.now()
        PeriodicRun.objects.update_or_create(
            command=name, defaults={"started_at": started, "finished_at": None, "succeeded": False}
        )
        output = io.StringIO()
        failure = ""
        try:
            command, *arguments = COMMANDS[name].command
            call_command(command.replace("-", "_"), *arguments, stdout=output, stderr=output)
        except CommandError as exc:
            failure = str(exc)
        finished = timezone.now()
        values = {
            "finished_at": finished,
            "succeeded": not failure,
            "message": (output.getvalue() + failure)[-2000:],
        }
        if not failure:
            values["last_success_at"] = finished
        PeriodicRun.objects.filter(command=name).update(**values)
        self.stdout.write(output.getvalue().rstrip())
        if failure:
            raise CommandError(failure)
