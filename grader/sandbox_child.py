"""The learner's side of grading: a small server that runs a submission's code and answers the checker.

Copied into the sandbox's runtime folder as ``ai4med_child.py`` and started by ``grader.sandbox`` as
``python -I -S ai4med_child.py CONFIG_JSON``. Before any learner code runs it (1) builds its jail when it was started
in fresh Linux namespaces: a read-only view of the system, Python and the course's release copy of ``helpers``
(without ``solutions``), a private ``/tmp`` and no network, then drops to an unprivileged user; (2) sets its resource
limits; (3) makes ``grader`` and ``helpers.solutions`` unimportable. It then executes only what the checker sends:
the notebook's setup imports, its graded cells, and calls of the functions and objects they define.

Replies are JSON (see ``ai4med_wire``): plain data, or a handle for anything else. Errors raised by learner code,
``SystemExit`` and ``KeyboardInterrupt`` included, are answered as errors; the process keeps serving.
"""

from __future__ import annotations

import copy
import ctypes
import io
import json
import os
import pickle
import resource
import signal
import sys
import traceback

REFERENCE_MARKER = "not available while grading"
BLOCKED = ("grader", "helpers.solutions", "tests")
MESSAGE_CHARS = 400

# ---------------------------------------------------------------------------------------------------- the jail

MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS = 38


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _mount(libc, source, target, fstype, flags, data=None) -> None:
    enc = lambda s: None if s is None else str(s).encode()
    if libc.mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"mount {source} -> {target}: {os.strerror(errno)}")


def build_jail(jail: dict) -> None:
    """Assemble a minimal root (tmpfs + read-only binds), chroot into it and drop privileges."""
    libc = _libc()
    root = jail["root"]
    _mount(libc, None, "/", None, MS_REC | MS_PRIVATE)
    _mount(libc, "tmpfs", root, "tmpfs", MS_NOSUID, "mode=755,size=16m")  # device nodes bound into /dev work
    for name in ("bin", "lib", "lib64", "sbin"):
        if os.path.islink(f"/{name}"):
            os.symlink(os.readlink(f"/{name}"), f"{root}/{name}")
    # the private /tmp first, so that a bind under /tmp (a checkout in /tmp with its .venv inside) lands on top of it
    for sub, size in (("tmp", jail["tmp_mb"]), ("dev/shm", 64)):
        os.makedirs(f"{root}/{sub}", exist_ok=True)
        _mount(libc, "tmpfs", f"{root}/{sub}", "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={size}m")
    for source in jail["binds"]:
        if not os.path.exists(source):
            continue
        target = root + source
        if os.path.isdir(source):
            os.makedirs(target, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            open(target, "a").close()
        _mount(libc, source, target, None, MS_BIND | MS_REC)
        nodev = 0 if source.startswith("/dev/") else MS_NODEV
        _mount(libc, None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | nodev)
    runtime = f"{root}/ai4med"
    os.makedirs(runtime)
    _mount(libc, jail["runtime"], runtime, None, MS_BIND | MS_REC)
    _mount(libc, None, runtime, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.makedirs(f"{root}/proc", exist_ok=True)
    _mount(libc, "proc", f"{root}/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    os.chroot(root)
    os.chdir("/tmp")
    uid = jail.get("uid")
    libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    if uid is not None and os.geteuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)


def set_limits(limits: dict) -> None:
    for name, key in (
        ("RLIMIT_DATA", "memory_bytes"),
        ("RLIMIT_FSIZE", "file_bytes"),
        ("RLIMIT_CPU", "cpu_seconds"),
        ("RLIMIT_NPROC", "nproc"),
        ("RLIMIT_CORE", "core"),
    ):
        value = limits.get(key)
        if value is None:
            continue
        which = getattr(resource, name)
        soft, hard = resource.getrlimit(which)
        value = int(value) if hard == resource.RLIM_INFINITY else min(int(value), hard)
        try:
            resource.setrlimit(which, (value, value))
        except (ValueError, OSError):
            pass
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writing past the output cap fails instead of killing us


def block_network() -> None:
    """Best effort for ``plain`` mode (no network namespace): refuse non-loopback connections and DNS look-ups.
    Learner code could undo this; the namespace modes need no such patch."""
    import socket

    def local(host) -> bool:
        return str(host).strip("[]") in ("localhost", "127.0.0.1", "::1", "") or str(host).startswith("127.")

    real_connect, real_connect_ex, real_getaddrinfo = (
        socket.socket.connect,
        socket.socket.connect_ex,
        socket.getaddrinfo,
    )

    def refuse(what):
        raise OSError(101, f"network access is not available while grading ({what})")

    def connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not local(address[0]):
            refuse(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not local(address[0]):
            refuse(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not local(host):
            refuse(host)
        return real_getaddrinfo(host, *args, **kwargs)

    socket.socket.connect, socket.socket.connect_ex, socket.getaddrinfo = connect, connect_ex, getaddrinfo


class _Blocker:
    """Meta-path finder that refuses the reference solutions, the hidden tests and the grader."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in BLOCKED):
            raise ModuleNotFoundError(
                f"No module named {name!r}: the reference solutions and the grader are {REFERENCE_MARKER}", name=name
            )
        return None


class _CappedText(io.TextIOBase):
    """stdout/stderr for learner code: keeps the first ``limit`` characters, drops the rest at no cost."""

    def __init__(self, limit: int):
        self.limit, self.kept, self.total = limit, [], 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = self.limit - min(self.total, self.limit)
        if room > 0:
            self.kept.append(text[:room])
        self.total += len(text)
        return len(text)

    def flush(self):
        pass


# ---------------------------------------------------------------------------------------------------- serving


class Server:
    def __init__(self, config: dict):
        import ai4med_wire as wire

        self.wire = wire
        self.channel = wire.Channel(config["read_fd"], config["write_fd"], config["max_request"])
        self.max_reply = config["max_reply"]
        self.namespace: dict = {"__name__": "__ai4med_submission__", "__builtins__": __builtins__}
        self.handles: dict[int, object] = {}
        from helpers.public_tests.framework import _frames_equal

        self.frames_equal = _frames_equal

    # -- values ------------------------------------------------------------------------------------------------
    def handle(self, obj) -> dict:
        key = len(self.handles) + 1
        self.handles[key] = obj
        cls = type(obj)
        return {
            "$": "handle",
            "id": key,
            "type": f"{cls.__module__}.{cls.__qualname__}",
            "callable": callable(obj),
            "name": str(getattr(obj, "__name__", ""))[:100] if isinstance(obj, type) or callable(obj) else "",
        }

    def loads(self, data: bytes):
        handles = self.handles

        class _Unpickler(pickle.Unpickler):
            def persistent_load(self, pid):
                return handles[int(pid[1])]

        return _Unpickler(io.BytesIO(data)).load()

    # -- operations --------------------------------------------------------------------------------------------
    def op_setup(self, sources: list[str]):
        failed = []
        for source in sources:
            try:
                exec(compile(source, "<setup>", "exec"), self.namespace)  # noqa: S102
            except BaseException as err:  # noqa: BLE001 - a missing optional import must not stop grading
                failed.append(f"{source.strip()[:80]}: {type(err).__name__}")
        return failed

    def op_exec(self, name: str, source: str):
        exec(compile(source, f"<cell {name}>", "exec"), self.namespace)  # noqa: S102
        return None

    def op_module(self, filename: str, source: str):
        self.namespace["__file__"] = filename
        exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102
        return None

    def op_get(self, name: str):
        if name not in self.namespace:
            raise NameError(f"name {name!r} is not defined")
        return self.namespace[name]

    def op_call(self, target: int, args, kwargs, check_inputs: bool):
        fn = self.handles[target]
        saved = [copy.deepcopy(a) for a in args] if check_inputs else None
        result = fn(*args, **kwargs)
        modified = bool(saved is not None and any(not self.frames_equal(o, a) for o, a in zip(saved, args)))
        return {"result": result, "modified": modified} if check_inputs else result

    def op_getattr(self, target: int, name: str):
        return getattr(self.handles[target], name)

    def op_getitem(self, target: int, key):
        return self.handles[target][key]

    def op_len(self, target: int):
        return len(self.handles[target])

    def op_iter(self, target: int, limit: int):
        items = []
        for item in self.handles[target]:
            items.append(item)
            if len(items) > limit:
                raise ValueError(f"more than {limit} items")
        return items

    def op_harness(self, module: str, name: str, target: int, args):
        import importlib

        if not module.startswith("helpers.public_tests.") or not name.isidentifier():
            raise PermissionError(f"{module}.{name} is not a public harness")
        harness = getattr(importlib.import_module(module), name)
        return harness(self.handles[target], *args)

    # -- the loop ----------------------------------------------------------------------------------------------
    def error(self, err: BaseException) -> dict:
        if isinstance(err, SyntaxError):
            kind, message = "syntax", f"line {err.lineno}: {err.msg}"
        else:
            message = str(err)
            kind = (
                "not_implemented"
                if isinstance(err, NotImplementedError)
                else "memory"
                if isinstance(err, MemoryError)
                else "reference"
                if isinstance(err, ImportError) and REFERENCE_MARKER in message
                else "exit"
                if isinstance(err, SystemExit)
                else "interrupt"
                if isinstance(err, KeyboardInterrupt)
                else "exception"
                if isinstance(err, Exception)
                else "base"
            )
        if kind == "exit":
            message = f"sys.exit({err.code!r}) was called"
        frames = traceback.extract_tb(err.__traceback__)
        where = next((f"{f.name}, line {f.lineno}" for f in reversed(frames) if f.filename.startswith("<cell")), "")
        return {
            "status": "error",
            "type": type(err).__name__[:80],
            "kind": kind,
            "message": message.replace("\r", " ")[:MESSAGE_CHARS],
            "where": where,
        }

    def serve(self) -> None:
        self.channel.send(json.dumps({"status": "ready", "pid": os.getpid(), "uid": os.getuid()}).encode())
        while True:
            try:
                data = self.channel.receive()
            except EOFError:
                return
            try:
                op, payload = self.loads(data)
            except BaseException as err:  # noqa: BLE001 - e.g. an argument whose class cannot be imported here
                self.channel.send(json.dumps(self.error(err)).encode())
                continue
            if op == "quit":
                return
            try:
                value = getattr(self, f"op_{op}")(*payload)
                reply = {"status": "ok", "value": self.wire.to_tree(value, self.handle, self.max_reply)}
            except BaseException as err:  # noqa: BLE001 - every learner error, SystemExit included, is an answer
                reply = self.error(err)
            try:
                text = json.dumps(reply, allow_nan=False)
            except (TypeError, ValueError) as err:
                text = json.dumps(self.error(err))
            self.channel.send(text.encode())


def main() -> None:
    config = json.loads(sys.argv[1])
    if config.get("jail"):
        build_jail(config["jail"])
    else:
        os.chdir(config["scratch"])
        block_network()
    os.environ.clear()
    os.environ.update(config["env"])
    set_limits(config["limits"])
    sys.path[:] = [config["runtime"]] + [p for p in sys.path if p and "site-packages" not in p] + config["site"]
    sys.meta_path.insert(0, _Blocker)
    sys.dont_write_bytecode = True
    import numpy  # noqa: F401 - imported before learner code, with the framework the checks rely on
    import pandas  # noqa: F401

    server = Server(config)
    sys.stdout = _CappedText(config["output_chars"])
    sys.stderr = _CappedText(config["output_chars"])
    try:
        server.serve()
    finally:
        os._exit(0)


if __name__ == "__main__":
    main()
