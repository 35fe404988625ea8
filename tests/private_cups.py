"""A private CUPS scheduler for the printing tests: its own folder, its own socket, its
own queue, stopped and removed at the end; the machine's CUPS is never touched.

Everything lives in one temporary folder: cupsd.conf and cups-files.conf (ServerRoot,
RequestRoot, TempDir, CacheDir, StateDir, the logs), the scheduler's unix socket (no
network port: nothing listens on 631) and cups-pdf's output. Clients find it through
`CUPS_SERVER=<socket>` (libcups, lpadmin, lpstat, Qt's CUPS plugin).

cups-pdf reads its configuration from a path compiled into it (/etc/cups/cups-pdf.conf,
or /etc/cups/cups-pdf-<name>.conf for the device cups-pdf:/<name>); it has no option or
variable to read one elsewhere. So the scheduler runs in a mount namespace of its own
(`unshare --mount`) in which our cups-pdf.conf is bind-mounted over that path: the
backend it starts writes into our folder, while every other process still sees the
system's file. The namespace goes away with the scheduler. Where namespaces are not
allowed, the backend keeps the system configuration (its output in the job owner's
~/PDF) and the files that appeared there while it ran are removed at the end.

The scheduler gets SIGTERM when the test process dies, however it dies (setpriv
--pdeathsig); the folder of a killed run is swept by the next one."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CUPSD = Path("/usr/sbin/cupsd")
CUPS_PDF_PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups/cups-pdf.conf")
SERVER_BIN = Path("/usr/lib/cups")
DATA_DIR = Path("/usr/share/cups")


class CupsError(RuntimeError):
    """The private scheduler could not start or take the queue (its log is in the text)."""


@dataclass
class PrivateCups:
    root: Path
    socket: Path
    output: Path
    process: subprocess.Popen[bytes]
    isolated_output: bool  # cups-pdf writes into `output` (else into the owner's ~/PDF)
    queues: list[str] = field(default_factory=list)

    @property
    def env(self) -> dict[str, str]:
        return {**os.environ, "CUPS_SERVER": str(self.socket)}

    def error_log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else "(no error_log)"

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A CUPS command against this scheduler; a failure shows its output and the log."""
        done = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=60)
        if done.returncode:
            raise CupsError(
                f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}{done.stderr}\n"
                f"--- cupsd error_log ---\n{self.error_log()}"
            )
        return done

    def add_pdf_queue(self, name: str) -> None:
        self.run("lpadmin", "-p", name, "-E", "-v", "cups-pdf:/", "-P", str(CUPS_PDF_PPD))
        self.queues.append(name)


def _write_config(root: Path, socket: Path, output: Path) -> tuple[Path, Path, Path]:
    for sub in ("etc", "spool", "spool/tmp", "cache", "state", "log", "cups-pdf-spool"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    cupsd_conf = root / "etc" / "cupsd.conf"
    cupsd_conf.write_text(
        f"""# A private scheduler for the tests (tests/private_cups.py)
LogLevel info
Listen {socket}
Browsing No
BrowseLocalProtocols none
DefaultAuthType None
WebInterface No
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
""",
        encoding="utf-8",
    )
    files_conf = root / "etc" / "cups-files.conf"
    files_conf.write_text(
        f"""ServerRoot {root / "etc"}
RequestRoot {root / "spool"}
TempDir {root / "spool" / "tmp"}
CacheDir {root / "cache"}
StateDir {root / "state"}
ServerBin {SERVER_BIN}
DataDir {DATA_DIR}
AccessLog {root / "log" / "access_log"}
ErrorLog {root / "log" / "error_log"}
PageLog {root / "log" / "page_log"}
SystemGroup root
FileDevice No
Sandboxing Relaxed
""",
        encoding="utf-8",
    )
    pdf_conf = root / "etc" / "cups-pdf.conf"
    pdf_conf.write_text(
        f"""Out {output}
Spool {root / "cups-pdf-spool"}
Log {root / "log"}
AnonDirName {output}
Grp root
DecodeHexStrings 1
""",
        encoding="utf-8",
    )
    return cupsd_conf, files_conf, pdf_conf


def _can_bind_mount() -> bool:
    unshare = shutil.which("unshare")
    if unshare is None or not CUPS_PDF_CONF.exists():
        return False
    conf = str(CUPS_PDF_CONF)
    probe = subprocess.run(
        [unshare, "--mount", "--propagation", "private", "mount", "--bind", conf, conf],
        capture_output=True,
    )
    return probe.returncode == 0


def forget_cached_server() -> None:
    """libcups reads CUPS_SERVER once per thread and keeps it; make the next call in this
    process (Qt's printer list, a print job) read it again."""
    name = ctypes.util.find_library("cups")
    if name is None:
        return
    ctypes.CDLL(name).cupsSetServer(None)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _in_use(folder: Path) -> bool:
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(folder).encode() in (proc / "cmdline").read_bytes():
                return True
        except OSError:
            continue
    return False


def sweep_stale() -> None:
    """Folders of a run that was killed (its scheduler died with it): no process names
    them, and they are over a minute old (a starting one is not taken for stale)."""
    for folder in Path(tempfile.gettempdir()).glob("gridapp-cups-*"):
        try:
            young = time.time() - folder.stat().st_mtime < 60
        except OSError:
            continue
        if not young and not _in_use(folder):
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def private_cups() -> Iterator[PrivateCups]:
    """Start a private cupsd; yield it; stop it and remove its folder, whatever happens."""
    if os.geteuid() != 0 or not CUPSD.exists() or not CUPS_PDF_PPD.exists():
        raise CupsError("CUPS with cups-pdf, as root, is needed (scripts/setup.sh installs it)")
    # Not under pytest's tmp_path (0700): the filters run as the scheduler's user (lp)
    # and must reach the spool; and the socket path must stay short (108 bytes).
    sweep_stale()
    root = Path(tempfile.mkdtemp(prefix="gridapp-cups-"))
    root.chmod(0o755)
    socket = root / "cups.sock"
    isolated = _can_bind_mount()
    output = root / "out" if isolated else Path.home() / "PDF"
    output.mkdir(exist_ok=True)
    if isolated:
        output.chmod(0o777)
    there_before = set(output.iterdir())
    cupsd_conf, files_conf, pdf_conf = _write_config(root, socket, output)
    daemon = [str(CUPSD), "-f", "-c", str(cupsd_conf), "-s", str(files_conf)]
    if isolated:
        command = [
            "unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", 'mount --bind "$0" "$1" && shift && exec "$@"',
            str(pdf_conf), str(CUPS_PDF_CONF), *daemon,
        ]  # fmt: skip
    else:
        command = daemon
    if shutil.which("setpriv"):
        # SIGTERM to the scheduler when the test process dies, however it dies: a killed
        # run leaves no cupsd behind (kept across exec; nothing here is setuid).
        command = ["setpriv", "--pdeathsig", "TERM", "--", *command]
    stderr = (root / "log" / "cupsd.stderr").open("wb")
    process = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=stderr,
        stderr=stderr,
    )
    cups = PrivateCups(root, socket, output, process, isolated)
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise CupsError(
                    f"cupsd exited ({process.returncode}):\n"
                    f"{(root / 'log' / 'cupsd.stderr').read_text(errors='replace')}\n"
                    f"--- error_log ---\n{cups.error_log()}"
                )
            if socket.exists():
                ready = subprocess.run(
                    ["lpstat", "-r"], env=cups.env, capture_output=True, text=True, timeout=30
                )
                if "is running" in ready.stdout and "not running" not in ready.stdout:
                    break
            if time.monotonic() > deadline:
                raise CupsError(f"cupsd did not answer on {socket}:\n{cups.error_log()}")
            time.sleep(0.1)
        yield cups
    finally:
        stop(process)
        stderr.close()
        if not isolated:
            for made in set(output.iterdir()) - there_before:
                made.unlink(missing_ok=True)
        shutil.rmtree(root, ignore_errors=True)
