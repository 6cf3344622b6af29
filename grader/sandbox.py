"""The checker's side of grading isolation: start a learner's sandboxed process and talk to it through proxies.

A :class:`Sandbox` is one learner process (``grader/sandbox_child.py``) with resource limits, its own scratch folder
and no network; when this process may create Linux namespaces (root, as in CI and containers, or unprivileged user
namespaces) it also runs in a private mount/PID/network namespace, chrooted into a read-only view of the system
that holds Python, the installed packages and a release copy of ``helpers`` without ``solutions``, as an
unprivileged user. See docs/GRADING.md for the threat model.

The checker (this process) imports the public and hidden tests and reaches learner code only through
:class:`Remote` proxies: calling one sends the arguments (pickled: the sandbox trusts the checker) and receives
plain data (JSON + ``.npy`` bytes, :mod:`grader.wire`) or a handle that becomes another proxy.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import io
import itertools
import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from grader import wire

__all__ = ["Limits", "LearnerError", "Remote", "Sandbox", "SandboxFailure", "isolation_mode"]

GRADER_DIR = Path(__file__).resolve().parent
REPO_ROOT = GRADER_DIR.parent
# Namespace mode runs each sandbox under a uid of its own, taken from a range no account uses. RLIMIT_NPROC counts
# every process of a uid on the machine: with one shared uid (nobody), one submission that started ~1,000 processes
# used up the limit of every sandbox graded at the same time (TensorFlow and tokenizers then crashed for correct
# answers of other students).
SANDBOX_UID_BASE = 100_000_000
_UIDS_PER_PROCESS = 512
_uid_counter = itertools.count()


def sandbox_uid() -> int:
    """A uid that no other live sandbox on this machine has: the grading process's pid (unique among live
    processes) and a counter of the sandboxes it started (one or two live at a time)."""
    slot = (os.getpid() % (1 << 21)) * _UIDS_PER_PROCESS + next(_uid_counter) % _UIDS_PER_PROCESS
    return SANDBOX_UID_BASE + slot


# Classes a proxy may claim to be (so isinstance checks of the tests work): only classes from these packages that
# the checker has already imported.
TRUSTED_CLASS_PREFIXES = (
    "sklearn.",
    "sksurv.",
    "lifelines.",
    "helpers.public_tests.",
    "keras.",
    "tensorflow.",
    "torch.",
    "scipy.",
    "statsmodels.",
    "shap.",
    "transformers.",
    "numpy.",
    "pandas.",
)


@dataclass(frozen=True)
class Limits:
    """Per-submission limits (see docs/GRADING.md)."""

    memory_gb: float = 4.0  # address space for data (RLIMIT_DATA) of the learner's process
    output_mb: float = 16.0  # any one file the learner writes, and what its prints keep (the rest is dropped)
    exercise_seconds: float = 60.0  # wall clock for one exercise's public + hidden tests
    cell_seconds: float = 30.0  # wall clock to run one graded cell (definitions only: no training)
    submission_seconds: float = 600.0  # wall clock for the whole submission
    startup_seconds: float = 60.0

    def changed(self, **changes) -> Limits:
        """These limits with the given ones replaced; ``None`` keeps a limit as it is (an option not given)."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    def describe(self) -> str:
        return (
            f"memory {self.memory_gb:g} GB, output {self.output_mb:g} MB, {self.exercise_seconds:g} s per "
            f"exercise, {self.cell_seconds:g} s per cell, {self.submission_seconds:g} s per submission"
        )


# ----------------------------------------------------------------------------------------------------- errors


class SandboxFailure(BaseException):
    """The learner's process ended, hung or broke the protocol. A BaseException so tests' ``except Exception``
    cannot swallow it; :func:`grader.runner.run_exercise` turns it into a failed exercise."""

    __ai4med_infrastructure__ = True

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class SandboxTimeout(SandboxFailure):
    pass


class SandboxCrashed(SandboxFailure):
    pass


class LearnerError(Exception):
    """An exception raised by learner code in the sandbox (its class name is the learner's exception's name)."""

    kind = "exception"
    where = ""


_SAFE_BASES = {
    cls.__name__: cls
    for cls in (
        AttributeError,
        KeyError,
        IndexError,
        TypeError,
        ValueError,
        ZeroDivisionError,
        ArithmeticError,
        LookupError,
        RuntimeError,
        NameError,
        FloatingPointError,
        OverflowError,
        RecursionError,
        AssertionError,
        NotImplementedError,
    )
}


@functools.lru_cache(maxsize=256)
def _error_class(name: str) -> type:
    name = name if name.isidentifier() else "LearnerError"
    base = _SAFE_BASES.get(name)
    bases = (LearnerError, base) if base is not None else (LearnerError,)
    try:
        return type(name, bases, {})
    except TypeError:
        return type(name, (LearnerError,), {})


# ----------------------------------------------------------------------------------------------------- proxies


def _trusted_class(qualified: str):
    module, _, qualname = qualified.rpartition(".")
    if not module.startswith(TRUSTED_CLASS_PREFIXES) and module not in ("numpy", "pandas"):
        return None
    obj = sys.modules.get(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj if isinstance(obj, type) else None


class Remote:
    """A learner's function or object living in the sandbox. Call it, read its attributes, index it, iterate it."""

    __slots__ = ("_ai4med_sandbox", "_ai4med_id", "_ai4med_type", "_ai4med_name", "__weakref__")

    def __init__(self, sandbox: Sandbox, handle: dict):
        object.__setattr__(self, "_ai4med_sandbox", sandbox)
        object.__setattr__(self, "_ai4med_id", int(handle["id"]))
        object.__setattr__(self, "_ai4med_type", str(handle.get("type", "object"))[:200])
        object.__setattr__(self, "_ai4med_name", str(handle.get("name", ""))[:100])

    @property
    def __class__(self):  # isinstance(proxy, RandomForestClassifier) answers as for the object in the sandbox
        return _trusted_class(self._ai4med_type) or Remote

    def __getattr__(self, name: str):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._ai4med_sandbox.request("getattr", self._ai4med_id, name)

    def __setattr__(self, name, value):
        raise AttributeError("objects from the submission are read-only in the checker")

    def __call__(self, *args, **kwargs):
        return self._ai4med_sandbox.request("call", self._ai4med_id, args, kwargs, False)

    def __getitem__(self, key):
        return self._ai4med_sandbox.request("getitem", self._ai4med_id, key)

    def __len__(self):
        return self._ai4med_sandbox.request("len", self._ai4med_id)

    def __iter__(self):
        return iter(self._ai4med_sandbox.request("iter", self._ai4med_id, 100_000))

    def __repr__(self):
        name = f" {self._ai4med_name}" if self._ai4med_name else ""
        return f"<{self._ai4med_type}{name} from the submission>"

    def __reduce__(self):
        raise TypeError("a proxy is sent to the sandbox as a handle, never pickled by value")

    # the hooks helpers.public_tests.framework looks for
    def __ai4med_call__(self, args, check_inputs_unchanged: bool):
        if not check_inputs_unchanged:
            return self._ai4med_sandbox.request("call", self._ai4med_id, args, {}, False), False
        answer = self._ai4med_sandbox.request("call", self._ai4med_id, args, {}, True)
        return answer["result"], bool(answer["modified"])

    def __ai4med_run_harness__(self, harness, *args):
        module, name = getattr(harness, "__module__", ""), getattr(harness, "__qualname__", "")
        if not module.startswith("helpers.public_tests.") or not name.isidentifier():
            raise TypeError(f"run_harness needs a module-level function of helpers.public_tests, got {harness!r}")
        return self._ai4med_sandbox.request("harness", module, name, self._ai4med_id, args)


class _Pickler(pickle.Pickler):
    def persistent_id(self, obj):
        if type(obj) is Remote:
            return ("handle", object.__getattribute__(obj, "_ai4med_id"))
        return None


# ----------------------------------------------------------------------------------------------------- runtime


def _copy_release_helpers(target: Path) -> None:
    from grader.release import copy_helpers

    copy_helpers(target / "helpers")


@functools.lru_cache(maxsize=1)
def runtime_dir() -> Path:
    """This process's read-only folder for sandboxes: ``helpers`` without ``solutions`` + the child server."""
    root = Path(tempfile.mkdtemp(prefix="ai4med-sandbox-"))
    runtime = root / "runtime"
    runtime.mkdir()
    _copy_release_helpers(runtime)
    shutil.copy(GRADER_DIR / "wire.py", runtime / "ai4med_wire.py")
    shutil.copy(GRADER_DIR / "sandbox_child.py", runtime / "ai4med_child.py")
    (root / "jail").mkdir()
    for path in [root, *root.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    import atexit

    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return runtime


def _unshare_works(args: list[str]) -> bool:
    exe = shutil.which("unshare")
    if exe is None or sys.platform != "linux":
        return False
    try:
        return subprocess.run([exe, *args, "--", "true"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


NAMESPACE_ARGS = ["--mount", "--net", "--pid", "--ipc", "--uts", "--fork", "--kill-child"]


@functools.lru_cache(maxsize=1)
def isolation_mode() -> str:
    """``namespace`` (root: namespaces + chroot + uid nobody), ``userns`` (unprivileged user namespace + chroot)
    or ``plain`` (resource limits and a scratch folder only). ``AI4MED_ISOLATION`` overrides the detection."""
    forced = os.environ.get("AI4MED_ISOLATION", "").strip().lower()
    if forced in ("namespace", "userns", "plain"):
        return forced
    if os.geteuid() == 0 and _unshare_works(NAMESPACE_ARGS):
        return "namespace"
    if _unshare_works(["--user", "--map-root-user", *NAMESPACE_ARGS]):
        return "userns"
    return "plain"


def _child_env() -> dict:
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "MPLBACKEND": "Agg",
        "USER": "learner",
        "LOGNAME": "learner",
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "TOKENIZERS_PARALLELISM": "false",
        "RAYON_NUM_THREADS": "1",
        "TQDM_DISABLE": "1",
        "PYTHONHASHSEED": "0",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "HF_HUB_OFFLINE": "1",
        "TRANSFORMERS_OFFLINE": "1",
        "KERAS_BACKEND": os.environ.get("KERAS_BACKEND", "tensorflow"),
    }
    for key in ("AI4MED_FAST", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        if key in os.environ:
            env[key] = os.environ[key]
    return env


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


# ----------------------------------------------------------------------------------------------------- sandbox


@dataclass
class Sandbox:
    """One learner process. Use as a context manager; :meth:`request` raises :class:`SandboxFailure` once dead."""

    limits: Limits = field(default_factory=Limits)
    mode: str = ""
    startup_seconds: float = 0.0

    def __post_init__(self):
        self.mode = self.mode or isolation_mode()
        self.process = None
        self.channel = None
        self.deadline: float | None = None
        self.budget_seconds: float | None = None
        self.dead_reason = ""
        self._scratch = None
        self._stderr = None

    # -- life cycle --------------------------------------------------------------------------------------------
    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _command(self, config: dict) -> list[str]:
        python = [sys.executable, "-I", "-S", str(runtime_dir() / "ai4med_child.py"), json.dumps(config)]
        if self.mode == "plain":
            return python
        prefix = [shutil.which("unshare") or "unshare"]
        if self.mode == "userns":
            prefix += ["--user", "--map-root-user"]
        return [*prefix, *NAMESPACE_ARGS, "--", *python]

    def _jail(self) -> dict | None:
        if self.mode == "plain":
            return None
        runtime = runtime_dir()
        binds = [
            "/usr",
            "/etc",
            "/dev/null",
            "/dev/zero",
            "/dev/random",
            "/dev/urandom",
            os.path.realpath(sys.base_prefix),
            os.path.realpath(sys.prefix),
        ]
        binds += [os.path.realpath(p) for p in self._site_dirs()]
        # the runtime is bound at /ai4med inside the jail
        return {
            "root": str(runtime.parent / "jail"),
            "binds": sorted(set(binds)),
            "runtime": str(runtime),
            "tmp_mb": int(max(64, self.limits.output_mb * 8)),
            "uid": sandbox_uid() if self.mode == "namespace" else None,
        }

    @staticmethod
    def _site_dirs() -> list[str]:
        paths = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
        return list(dict.fromkeys(os.path.realpath(p) for p in paths))

    def start(self) -> None:
        started = time.monotonic()
        to_child_r, to_child_w = os.pipe()
        to_checker_r, to_checker_w = os.pipe()
        limits = self.limits
        jail = self._jail()
        self._scratch = tempfile.TemporaryDirectory(prefix="ai4med-scratch-")
        os.chmod(self._scratch.name, 0o777)
        config = {
            "read_fd": to_child_r,
            "write_fd": to_checker_w,
            "max_request": 1 << 30,
            "max_reply": int(64 * 2**20),
            "output_chars": int(limits.output_mb * 2**20),
            "runtime": "/ai4med" if jail else str(runtime_dir()),
            "site": self._site_dirs(),
            "scratch": self._scratch.name,
            "env": _child_env(),
            "jail": jail,
            "limits": {
                "memory_bytes": int(limits.memory_gb * 2**30),
                "file_bytes": int(limits.output_mb * 2**20),
                "cpu_seconds": int(limits.submission_seconds * 2 + 60),
                "core": 0,
                "nproc": 1024 if self.mode == "namespace" else None,
            },
        }
        self._stderr = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(
                self._command(config),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=self._stderr,
                pass_fds=(to_child_r, to_checker_w),
                start_new_session=True,
                env=_child_env(),
                cwd=self._scratch.name,
            )
        finally:
            os.close(to_child_r)
            os.close(to_checker_w)
        self.channel = wire.Channel(to_checker_r, to_child_w, max_bytes=int(64 * 2**20) * 2)
        try:
            hello = json.loads(self.channel.receive(deadline=time.monotonic() + limits.startup_seconds))
        except (TimeoutError, EOFError, wire.WireError, ValueError) as err:
            reason = self._death_reason(err)
            self.kill()
            raise SandboxCrashed(f"the learner process did not start: {reason}") from None
        if hello.get("status") != "ready":
            self.kill()
            raise SandboxCrashed("the learner process did not start")
        self.startup_seconds = time.monotonic() - started

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(ProcessLookupError):
                self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)

    def close(self) -> None:
        if self.process is not None and self.process.poll() is None and self.channel is not None:
            with contextlib.suppress(OSError):
                self.channel.send(pickle.dumps(("quit", ())))
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=2)
        self.kill()
        if self.process is not None:
            # in plain mode, children the learner left in our session die with it
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        for fd in (self.channel.read_fd, self.channel.write_fd) if self.channel else ():
            with contextlib.suppress(OSError):
                os.close(fd)
        self.channel = None
        if self._stderr is not None:
            self._stderr.close()
            self._stderr = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None and not self.dead_reason

    # -- requests ----------------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def budget(self, seconds: float):
        """Every request inside the block must be answered within ``seconds`` in total."""
        previous = self.deadline, self.budget_seconds
        self.deadline, self.budget_seconds = time.monotonic() + seconds, seconds
        try:
            yield
        finally:
            self.deadline, self.budget_seconds = previous

    def _death_reason(self, err: BaseException | None = None) -> str:
        code = None
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                code = self.process.wait(timeout=5)
        if code is None:
            return f"it stopped answering ({type(err).__name__ if err else 'no answer'})"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            name = _signal_name(number)
            if number == signal.SIGKILL:
                return (
                    f"it was killed ({name}), usually because it exceeded the memory limit of "
                    f"{self.limits.memory_gb:g} GB"
                )
            if number == signal.SIGXCPU:
                return f"it used more CPU time than allowed ({name})"
            return f"it crashed ({name})"
        return f"it exited with code {code} (sys.exit or os._exit in the submission?)"

    def request(self, op: str, *payload, timeout: float | None = None):
        if self.dead_reason:
            raise SandboxCrashed(self.dead_reason)
        if self.channel is None:
            raise SandboxCrashed("the learner process is not running")
        buffer = io.BytesIO()
        _Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((op, payload))
        deadline = self.deadline if timeout is None else time.monotonic() + timeout
        try:
            self.channel.send(buffer.getvalue())
            data = self.channel.receive(deadline=deadline)
            reply = json.loads(data.decode("utf-8"))
        except TimeoutError:
            self.kill()
            seconds = self.budget_seconds if timeout is None else timeout
            self.dead_reason = f"did not finish within {seconds:g} s" if seconds else "did not answer in time"
            raise SandboxTimeout(self.dead_reason) from None
        except (EOFError, BrokenPipeError, ConnectionError) as err:
            self.dead_reason = f"the learner process ended: {self._death_reason(err)}"
            raise SandboxCrashed(self.dead_reason) from None
        except (wire.WireError, ValueError, UnicodeDecodeError) as err:
            self.kill()
            self.dead_reason = f"the learner process sent an unreadable answer ({str(err)[:120]})"
            raise SandboxCrashed(self.dead_reason) from None
        if not isinstance(reply, dict):
            raise SandboxCrashed("the learner process sent an unreadable answer")
        if reply.get("status") == "ok":
            try:
                return wire.from_tree(reply.get("value"), lambda handle: Remote(self, handle))
            except wire.WireError as err:
                raise _error_class("ValueError")(f"the result could not be read: {err}") from None
        raise self._learner_error(reply)

    def _learner_error(self, reply: dict) -> BaseException:
        kind = str(reply.get("kind", "exception"))
        message = str(reply.get("message", ""))[:500]
        name = str(reply.get("type", "Exception"))[:80]
        if kind == "not_implemented":
            err = NotImplementedError(message)
        else:
            if kind == "memory":
                message = f"exceeded the memory limit of {self.limits.memory_gb:g} GB ({message or 'MemoryError'})"
            elif kind == "reference":
                message = "uses the reference solution (helpers.solutions is not available while grading)"
            err = _error_class(name)(message)
            err.kind = kind
            err.where = str(reply.get("where", ""))[:120]
        return err
