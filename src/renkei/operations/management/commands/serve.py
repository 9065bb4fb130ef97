"""``renkei serve [--bind HOST:PORT]``: Renkei under gunicorn, as production runs it.

The command checks what would otherwise fail on the first request (settings, collected static files),
then replaces itself with the gunicorn master (``exec``): signals go straight to it — ``HUP`` reloads
gracefully (new workers with the code and settings now on disk start before the old ones finish their
requests), ``TERM`` stops gracefully. The master never imports Django, which is what makes ``HUP``
pick up new code.
"""

from __future__ import annotations

import os
import sys

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management.base import BaseCommand, CommandError

from renkei.operations.access_log import ACCESS_FORMAT


def default_workers() -> int:
    """Gunicorn's rule of thumb, two per core plus one, at most 12 (each holds its own Django)."""
    return min(2 * (os.cpu_count() or 1) + 1, 12)


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "renkei.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--worker-class",
        "gthread" if threads > 1 else "sync",
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "30",
        # A worker is replaced after this many requests, so a slow leak never grows without bound.
        "--max-requests",
        "5000",
        "--max-requests-jitter",
        "500",
        "--logger-class",
        "renkei.operations.access_log.AccessLogger",
        "--access-logfile",
        "-",
        "--access-logformat",
        ACCESS_FORMAT,
        "--error-logfile",
        "-",
        "--name",
        "renkei",
        # Gunicorn's control socket sits at one fixed path per user; several servers would collide.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = "本番用の WSGI サーバー（gunicorn）で Renkei を起動します。HUP で無停止の再読み込み、TERM で停止します。"
    requires_system_checks = "__all__"

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("RENKEI_BIND", "127.0.0.1:8000"),
            help="待ち受けるアドレス:ポート（既定: RENKEI_BIND、なければ 127.0.0.1:8000）",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("RENKEI_WORKERS") or default_workers()),
            help="ワーカープロセス数（既定: RENKEI_WORKERS、なければ CPU数×2＋1、最大12）",
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("RENKEI_THREADS") or 2),
            help="ワーカーごとのスレッド数（既定: RENKEI_THREADS、なければ 2）",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=int(os.environ.get("RENKEI_TIMEOUT") or 120),
            help="1件の要求にかけられる秒数。超えたワーカーは再起動されます（既定 120。施設データの取込を含む）",
        )

    def handle(self, *args, bind: str, workers: int, threads: int, timeout: int, **options) -> None:
        if workers < 1 or threads < 1:
            raise CommandError("--workers と --threads には1以上を指定してください。")
        if not settings.DEBUG and not _static_collected():
            raise CommandError(
                "静的ファイルが収集されていません。先に renkei collectstatic --noinput を実行してください。"
            )
        argv = gunicorn_argv(bind=bind, workers=workers, threads=threads, timeout=timeout)
        self.stdout.write(f"Renkei: http://{bind}/ で起動します（ワーカー {workers}、スレッド {threads}）")
        self.stdout.flush()
        sys.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606 (our own interpreter, arguments built above)


def _static_collected() -> bool:
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest is None:
        return True
    return staticfiles_storage.exists(manifest)
