"""`gridapp`: the desktop app's composition root. Everything is wired here, once."""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QProgressDialog

from gridapp.audit_actions import SYSTEM_ACTOR
from gridapp.clock import display_time
from gridapp.errors import AccessDenied, GridappError, InvalidInput, UnreadableFile
from gridapp.i18n import LANGUAGES, Catalog
from gridapp.logs import setup_logging
from gridapp.paths import demo_data_dir, resolve_data_dir
from gridapp.private import tighten_data_folder
from gridapp.services import Services
from gridapp.services.backup import pending_restore
from gridapp.services.reading import ReadingService
from gridapp.services.session import DEMO_ACCOUNTS, SessionService
from gridapp.settings import Settings, load_settings, load_ui_state
from gridapp.storage.database import unopenable
from gridapp.storage.store import DB_FILENAME, Store
from gridapp.trust.roles import Session
from gridapp.ui.common.jobs import Jobs, ThreadReadPool
from gridapp.ui.shell.crash import ErrorPresenter
from gridapp.ui.shell.fonts import install_cjk_font
from gridapp.ui.shell.main_window import MainWindow, ShellContext
from gridapp.ui.shell.translations import QtTranslations, follow_language

log = logging.getLogger("gridapp.app")
_STARTED = time.perf_counter()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="gridapp", description="gridapp 网格走访")
    parser.add_argument("--data-dir", help="数据文件夹 / data folder")
    parser.add_argument("--demo", action="store_true", help="打开演示专项行动 / open the demo")
    parser.add_argument("--lang", choices=LANGUAGES, help="界面语言 / language")
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="保存窗口截图后退出 / save a screenshot of the window, then quit",
    )
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(list(argv))


def _rss_kb() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def sign_in_at_start(
    sessions: SessionService, demo: bool, catalog: Catalog, can_ask: bool = True
) -> tuple[bool, Session | None]:
    """(go on?, session). An empty folder is set up encrypted: `--demo` makes the demo's
    accounts, signed in as its administrator; otherwise the first-run dialog creates
    the first administrator (no dialog possible: refused). A plain database made
    before (or for a demo or test) has no keyring: nobody to sign in. On the demo's own
    keyring `--demo` signs in as its administrator again. Anything else asks for a
    code and PIN before any data is opened."""
    if not sessions.protected() and not sessions.db_path.exists():
        if demo:
            return True, sessions.set_up_demo()
        if not can_ask:
            raise InvalidInput("ui.first_run.needs_screen", path=str(sessions.data_dir))
        from gridapp.ui.shell.first_run import FirstRunDialog

        first = FirstRunDialog(sessions, catalog)
        if first.exec() != QDialog.DialogCode.Accepted or first.session is None:
            return False, None
        return True, first.session
    if not sessions.protected():
        return True, None
    if demo:
        session = sessions.sign_in_demo()
        if session is not None:
            return True, session
    from gridapp.ui.shell.sign_in import SignInDialog

    hint = ""
    if sessions.accounts.is_demo():
        hint = "、".join(f"{code} / {pin}" for code, _role, pin in DEMO_ACCOUNTS)
    dialog = SignInDialog(sessions, catalog, hint)
    # The one blocking dialog: nothing else exists yet (tests drive SignInDialog itself).
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.session is None:
        return False, None
    return True, dialog.session


def change_pin_action(
    window: MainWindow, sessions: SessionService, session: Session, catalog: Catalog
) -> QAction:
    from gridapp.ui.shell.sign_in import ChangePinDialog

    action = QAction(catalog.tr("ui.pin.menu"), window)
    action.setObjectName("changePin")
    # The window's catalog at the time of the click: the language may have changed.
    action.triggered.connect(
        lambda: ChangePinDialog(sessions, window.catalog, session, window).open()
    )
    window.language_changed.connect(lambda _lang: action.setText(window.catalog.tr("ui.pin.menu")))
    return action


def _own_reader(services: Services) -> ReadingService:
    own = services.own_connection()
    assert own is not None  # the app always opens a database file
    return own.read


def open_services(
    data_dir: Path,
    demo: bool,
    catalog: Catalog,
    key: bytes | None = None,
    session: Session | None = None,
) -> Services:
    services = Services(Store.open_in(data_dir, key=key))
    if session is not None:
        # From the first read on, every call acts as the signed-in worker.
        services.act_as(session.code, session.role)
    if demo and services.read.is_empty():
        from gridapp.demo import DemoOptions, build_demo  # only on first run: keep start-up lean

        if services.store.local_device() is None:
            services.device.initialise("office", catalog.tr("cli.default_device_name.office"))
        dialog = QProgressDialog(catalog.tr("ui.demo.building"), "", 0, 100)
        dialog.setCancelButton(None)
        dialog.setWindowTitle(catalog.tr("ui.window_title"))
        dialog.setMinimumDuration(600)  # quick work never flashes a dialog
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)

        def progress(stage: str, fraction: float) -> None:
            dialog.setLabelText(catalog.tr(f"cli.demo_stage.{stage}", percent=int(fraction * 100)))
            dialog.setValue(int(fraction * 100))
            QApplication.processEvents()

        build_demo(services, DemoOptions(templates=True), progress)
        dialog.close()
    return services


def open_or_recover(
    data_dir: Path,
    demo: bool,
    catalog: Catalog,
    ask: Callable[[str], bool],
    tell: Callable[[str], None],
    key: bytes | None = None,
    session: Session | None = None,
) -> Services:
    """Open the database, first finishing a restore staged by the backup screen; a
    damaged database offers the newest backup that passes every check. `actor`: the
    worker who signed in (the audit line of a restore names them); the app itself
    before any sign-in."""
    actor = session.code if session is not None else SYSTEM_ACTOR
    from gridapp.services.backup import PENDING_FILE, newest_good, restore_closed
    from gridapp.storage import backup

    staged = pending_restore(data_dir)
    if staged is not None:
        try:
            aside = restore_closed(data_dir, staged, actor, key=key)
            tell(catalog.tr("ui.startup.restored", aside=str(aside)))
        except GridappError as exc:
            (data_dir / PENDING_FILE).unlink(missing_ok=True)
            tell(catalog.error(exc))
    try:
        return open_services(data_dir, demo, catalog, key, session)
    except (UnreadableFile, AccessDenied) as exc:
        if not unopenable(exc):
            raise
        path = str(data_dir / DB_FILENAME)
        good = newest_good(data_dir, key)
        if good is None:
            raise UnreadableFile("ui.startup.corrupt_no_backup", path=path) from None
        created = (backup.read_manifest(good) or {}).get("created_at", "")
        if not ask(catalog.tr("ui.startup.corrupt", path=path, time=display_time(created))):
            raise
        aside = restore_closed(data_dir, good, actor, key=key)
        tell(catalog.tr("ui.startup.restored", aside=str(aside)))
        return open_services(data_dir, demo, catalog, key, session)


def _daily_backup(services: Services) -> Jobs:
    """The day's backup on a connection and thread of its own: a large database takes
    seconds to copy, and the window must not wait for it."""
    jobs = Jobs(services)
    jobs.run_on_connection(
        lambda own, _progress: own.backup.ensure_daily(),
        lambda _info: None,
        lambda exc: log.warning("daily backup skipped: %s", exc),
    )
    return jobs


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    data_dir = resolve_data_dir(args.data_dir or (demo_data_dir() if args.demo else None))
    if args.demo:
        # Say where: the demo's made-up residents never mix with a real campaign's.
        print(f"gridapp: 演示数据 / demo data: {data_dir}", file=sys.stderr)
    settings = load_settings(data_dir)
    if args.lang:
        settings.language = args.lang
    catalog = Catalog(settings.language)
    log_path: Path | None = None
    try:
        log_path = setup_logging(data_dir)
    except OSError as exc:
        print(f"gridapp: {exc}", file=sys.stderr)

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("gridapp")
    app.setApplicationDisplayName(catalog.tr("ui.window_title"))
    install_cjk_font(app)
    qt_words = QtTranslations(app)  # Qt's own dialogs (print, files, calendar) in our language
    qt_words.apply(settings.language)
    from gridapp.ui.shell.collector import UiThreadCollector

    # Cycles (closed views and their lambdas) are collected on this thread, between
    # events: never inside a paint or on a read-pool thread. However the app ends (a
    # sign-in refused, a database that will not open), the collector stops and gc is
    # itself again: left running, it collected inside whatever this process did next
    # (the next test), where it crashed a dashboard test now and then.
    collector = UiThreadCollector(app)
    try:
        return _run(app, args, data_dir, settings, catalog, log_path, qt_words)
    finally:
        collector.stop()
        collector.setParent(None)
        qt_words.reset()  # an app made again in the same process (tests) starts clean


def _run(
    app: QApplication,
    args: argparse.Namespace,
    data_dir: Path,
    settings: Settings,
    catalog: Catalog,
    log_path: Path | None,
    qt_words: QtTranslations,
) -> int:
    errors = ErrorPresenter(catalog, log_path)
    errors.db_path = data_dir / DB_FILENAME
    errors.install()

    interactive = not args.exit_when_ready and app.platformName() not in ("offscreen", "minimal")
    title = catalog.tr("ui.error.title")

    def ask(text: str) -> bool:
        print(f"gridapp: {text}", file=sys.stderr)
        if not interactive:
            return False
        yes, no = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No
        return QMessageBox.question(None, title, text, yes | no, yes) == yes

    def tell(text: str) -> None:
        print(f"gridapp: {text}", file=sys.stderr)
        if interactive:
            QMessageBox.information(None, catalog.tr("ui.window_title"), text)

    sessions = SessionService(data_dir)
    try:
        go_on, session = sign_in_at_start(
            sessions, args.demo, catalog, can_ask=not args.exit_when_ready
        )
        if not go_on:
            return 0
        key = session.key if session else None
        services = open_or_recover(data_dir, args.demo, catalog, ask, tell, key, session)
        tighten_data_folder(data_dir)  # files an older version left readable by others
        if session is not None:
            services.audit.sign_in(session.code, failed_before=session.failed_before)
            sessions.accounts.on_change = lambda actor, action, code: services.audit.record(
                action, code
            )
    except GridappError as exc:
        message = catalog.error(exc)
        print(f"gridapp: {message}", file=sys.stderr)
        if not args.exit_when_ready and app.platformName() not in ("offscreen", "minimal"):
            QMessageBox.critical(None, catalog.tr("ui.error.title"), message)
        return 1

    from gridapp.ui.paper.screens import sweep_stale_print_folders

    sweep_stale_print_folders()  # receipts and sheets a crash left in the temp folder
    # Background reads act as the signed-in worker too (a field worker's lists stay
    # their team's): each on a connection of its own.
    pool = ThreadReadPool(lambda: _own_reader(services))
    daily = _daily_backup(services)
    released: list[bool] = []

    def release_database() -> None:
        """First set-up encrypts the file in place: no connection may stay open."""
        if released:
            return
        released.append(True)
        daily.wait()
        pool.shutdown()
        services.close()

    context = ShellContext(
        data_dir,
        settings,
        load_ui_state(data_dir),
        services.device.local(),
        session,
        sessions,
        release_database,
    )
    window = MainWindow(services, catalog, context, pool)
    idle_lock = None
    if session is not None:
        from gridapp.ui.shell.lock import IdleLock, idle_minutes

        minutes = idle_minutes(settings.idle_lock_minutes)
        idle_lock = IdleLock(window, sessions, session, catalog, minutes)
        idle_lock.attempted.connect(lambda code, ok: services.audit.sign_in(code, ok, via="unlock"))
        window.file_menu.insertAction(window.quit_action, idle_lock.lock_action)
        window.file_menu.insertAction(
            window.quit_action, change_pin_action(window, sessions, session, catalog)
        )
    follow_language(window, qt_words, errors, idle_lock)
    window.show()
    log.info("started on %s (demo=%s)", data_dir, args.demo)

    def ready() -> None:
        if args.screenshot:
            pool.wait(10_000)  # show the progress and counts, not the placeholders
            for _ in range(3):  # results arrive as events; their layout as more events
                app.processEvents()
            saved = window.grab().save(args.screenshot)
            print(f"gridapp: screenshot {'saved to' if saved else 'NOT saved:'} {args.screenshot}")
        if args.exit_when_ready or args.screenshot:  # a screenshot is taken, then it quits
            elapsed_ms = (time.perf_counter() - _STARTED) * 1000
            print(f"READY {elapsed_ms:.0f} ms {_rss_kb()} kB", flush=True)
            window.close()
            app.quit()

    QTimer.singleShot(0, ready)
    if window.office is not None:
        window.office.events.restart_needed.connect(app.quit)
    code = app.exec()
    # Closing the last window posted a quit of its own; delivered after this loop, it
    # would end every event loop at once (an app made again in this process, tests).
    QCoreApplication.removePostedEvents(app, QEvent.Type.Quit)
    if idle_lock is not None:
        idle_lock.stop()
    release_database()  # a backup half-written at exit would be wasted work: it finishes
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
