"""weir_pipes: run a Python script as a Weir asset.

Weir (the TypeScript orchestrator, package @weir/pipes) launches the script, passes it the
step's context in a JSON file and reads what the script reports on a channel of its own:

    import weir_pipes

    with weir_pipes.open() as ctx:
        rows = ctx.inputs["readings"]          # a JSON input, decoded
        ctx.log.info("read rows", count=len(rows))
        peak = max(r["stage_m"] for r in rows)
        ctx.report_metadata({"rows": len(rows)})
        ctx.report_check("not_empty", passed=len(rows) > 0)
        ctx.report_output({"peak_m": peak})

One file, standard library only (Python 3.8 and later), so it can be copied anywhere. Weir
puts the folder that holds it on PYTHONPATH.

The protocol (version 1)
------------------------
Bootstrap: two environment variables.
  WEIR_PIPES_CONTEXT   path of a JSON file holding the context (see Context below); its
                       "protocol" field is the version Weir speaks.
  WEIR_PIPES_MESSAGES  where messages go: "fd:N", a file descriptor open for writing.
Messages: one JSON object per line, written and flushed one at a time (so every message
written before a crash has reached Weir), each {"weir_pipes": 1, "type": ..., ...}:
  opened       {"client": VERSION, "python": "3.11.2", "pid": N}     first, always
  log          {"level": "debug|info|warn|error", "message": str, "fields": {..}}
  metadata     {"entries": {..}}
  check        {"name": str, "passed": bool, "message": str?, "metadata": {..}?}
  data_version {"version": str}
  output       {"value": JSON} or {"path": str}
  closed       {"error": {"type", "message", "traceback"}?}          last, when it can
Both sides refuse a protocol version they do not speak.
"""

import _thread  # a lock without importing threading: start-up time counts on every step
import builtins
import json
import os
import sys

__all__ = ["open", "Context", "Logger", "WeirPipesError", "PROTOCOL", "__version__"]

__version__ = "0.1.0"
PROTOCOL = 1
CONTEXT_ENV = "WEIR_PIPES_CONTEXT"
MESSAGES_ENV = "WEIR_PIPES_MESSAGES"
_LEVELS = ("debug", "info", "warn", "error")

if sys.version_info < (3, 8):  # pragma: no cover - checked by hand
    raise ImportError(
        "weir_pipes needs Python 3.8 or later; this is " + sys.version.split()[0]
    )


def _watch_parent(every=0.5):
    """Ends this process if the Weir process that launched it goes away (killed, its machine's
    worker stopped outright): an orphaned step would run on and repeat its side effects while
    another worker runs it again. Checked from a thread every `every` seconds."""
    parent = os.getppid()

    def watch():
        import time

        while True:
            time.sleep(every)
            if os.getppid() != parent:
                sys.stderr.write(
                    "weir_pipes: the Weir process that launched this step (pid %d) is gone: stopping\n"
                    % parent
                )
                sys.stderr.flush()
                os._exit(1)

    _thread.start_new_thread(watch, ())


class WeirPipesError(Exception):
    """The script and Weir cannot talk: not launched by Weir, another protocol, a bad call."""


def open(context_path=None, messages=None):
    """Connects to the Weir step that launched this process and returns its Context.

    Use it as a context manager: leaving the block closes the connection and, when the block
    raised, sends the exception to Weir (which then fails the step with its traceback; Python
    does not print that traceback on stderr too).
    Arguments default to the environment Weir sets (WEIR_PIPES_CONTEXT, WEIR_PIPES_MESSAGES).
    """
    context_path = context_path if context_path is not None else os.environ.get(CONTEXT_ENV)
    messages = messages if messages is not None else os.environ.get(MESSAGES_ENV)
    if not context_path or not messages:
        raise WeirPipesError(
            "this script was not launched by Weir: %s and %s are not set "
            "(run it as an asset with pythonStep() from @weir/pipes)"
            % (CONTEXT_ENV, MESSAGES_ENV)
        )
    channel = _Channel.connect(messages)
    try:
        with builtins.open(context_path, "r", encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as error:
        channel.close()
        raise WeirPipesError("cannot read the context file %s: %s" % (context_path, error))
    protocol = data.get("protocol") if isinstance(data, dict) else None
    if protocol != PROTOCOL:
        channel.close()
        raise WeirPipesError(
            "Weir speaks weir_pipes protocol %r, this weir_pipes.py (%s) speaks %d: "
            "use the weir_pipes.py shipped with the @weir/pipes that runs this step"
            % (protocol, __version__, PROTOCOL)
        )
    context = Context(data, channel)
    _watch_parent()
    channel.send(
        "opened",
        client=__version__,
        python=".".join(str(part) for part in sys.version_info[:3]),
        pid=os.getpid(),
    )
    return context


class _Channel:
    """Writes one JSON line per message to a file descriptor, whole lines only, thread-safe."""

    def __init__(self, fd):
        self._fd = fd
        self._lock = _thread.allocate_lock()
        self._closed = False

    @classmethod
    def connect(cls, spec):
        if not spec.startswith("fd:") or not spec[3:].isdigit():
            raise WeirPipesError(
                "%s=%r is not a channel this weir_pipes.py (%s) knows: expected 'fd:N'"
                % (MESSAGES_ENV, spec, __version__)
            )
        fd = int(spec[3:])
        try:
            os.fstat(fd)
        except OSError:
            raise WeirPipesError(
                "%s names file descriptor %d, which is not open in this process "
                "(was it closed, or the script started by another program?)" % (MESSAGES_ENV, fd)
            )
        # Processes this script starts must not hold Weir's channel open after it ends.
        os.set_inheritable(fd, False)
        return cls(fd)

    def send(self, kind, **fields):
        message = {"weir_pipes": PROTOCOL, "type": kind}
        message.update(fields)
        try:
            line = json.dumps(message, allow_nan=False, separators=(",", ":")) + "\n"
        except (TypeError, ValueError) as error:
            raise WeirPipesError("%s: the value is not JSON (%s)" % (kind, error))
        data = line.encode("utf-8")
        with self._lock:
            if self._closed:
                raise WeirPipesError("%s after the connection to Weir was closed" % kind)
            view = memoryview(data)
            while view:
                written = os.write(self._fd, view)
                view = view[written:]

    def close(self):
        with self._lock:
            if not self._closed:
                self._closed = True
                try:
                    os.close(self._fd)
                except OSError:
                    pass


class Logger:
    """ctx.log: lines stored with the Weir step (`weir logs RUN`), streamed as they are written."""

    def __init__(self, channel):
        self._channel = channel

    def _log(self, level, message, fields):
        self._channel.send("log", level=level, message=str(message), fields=fields)

    def debug(self, message, **fields):
        self._log("debug", message, fields)

    def info(self, message, **fields):
        self._log("info", message, fields)

    def warn(self, message, **fields):
        self._log("warn", message, fields)

    warning = warn

    def error(self, message, **fields):
        self._log("error", message, fields)


def _decode_input(entry):
    kind = entry.get("kind")
    if kind == "value":
        return entry.get("value")
    if kind == "path":
        return entry["path"]
    if kind == "partitions":
        return {key: _decode_input(value) for key, value in entry["values"].items()}
    raise WeirPipesError("an input of unknown kind %r in the context" % (kind,))


def _quiet_once_reported(error):
    """Python does not print `error` again if it ends the script: Weir has its traceback and
    shows it with the failed step, and stderr goes to the step's log, where it would be twice.
    Any other uncaught exception is printed as usual."""
    previous = sys.excepthook

    def excepthook(kind, value, tb):
        if value is not error:
            previous(kind, value, tb)

    sys.excepthook = excepthook


class Context:
    """What the step knows and what the script reports back.

    asset_key      "hydrology/forecast"
    partition_key  "2024-03-01", or None for an unpartitioned asset
    partition      {"key", "start"?, "end"?, "dimensions"?} or None
    run_id, attempt (1 for the first attempt), code_version
    inputs         name -> value: decoded JSON for json inputs, a path (str) for files and
                   bytes inputs, a dict partition key -> value for many() inputs
    params         the params given to pythonStep()
    output_path    where to write a file or folder output (then report_output_path())
    log            ctx.log.info("message", key=value, ...)
    """

    def __init__(self, data, channel):
        self._channel = channel
        self.asset_key = data["asset_key"]
        self.partition = data.get("partition")
        self.partition_key = self.partition["key"] if self.partition else None
        self.run_id = data["run_id"]
        self.attempt = data.get("attempt", 1)
        self.code_version = data.get("code_version")
        self.params = data.get("params") or {}
        self.output_path = data.get("output_path")
        self.inputs = {name: _decode_input(entry) for name, entry in data["inputs"].items()}
        self.log = Logger(channel)
        self._output_reported = False
        self._closed = False

    def report_metadata(self, entries):
        """Attaches JSON metadata (row counts, scores, a preview) to the materialization."""
        if not isinstance(entries, dict):
            raise WeirPipesError("report_metadata() takes a dict, got %s" % type(entries).__name__)
        self._channel.send("metadata", entries=entries)

    def report_check(self, name, passed, message=None, metadata=None):
        """Reports the result of a check the asset declares with reportedCheck(name)."""
        if not isinstance(name, str) or not name:
            raise WeirPipesError("report_check() needs a check name")
        if not isinstance(passed, bool):
            raise WeirPipesError("report_check(%r) needs passed=True or False" % name)
        fields = {"name": name, "passed": passed}
        if message is not None:
            fields["message"] = str(message)
        if metadata is not None:
            if not isinstance(metadata, dict):
                raise WeirPipesError("report_check(%r): metadata must be a dict" % name)
            fields["metadata"] = metadata
        self._channel.send("check", **fields)

    def report_data_version(self, version):
        """Uses your own data version instead of the hash of the stored output."""
        if not isinstance(version, str) or not version:
            raise WeirPipesError("report_data_version() needs a non-empty string")
        self._channel.send("data_version", version=version)

    def report_output(self, value):
        """The asset's value: anything JSON can hold (no NaN or infinity)."""
        self._claim_output()
        self._channel.send("output", value=value)

    def report_output_path(self, path=None):
        """The asset's value is the file or folder written at ctx.output_path."""
        path = self.output_path if path is None else os.fspath(path)
        if os.path.abspath(path) != os.path.abspath(self.output_path):
            raise WeirPipesError(
                "report_output_path(%r): write the output at ctx.output_path (%s)"
                % (path, self.output_path)
            )
        if not os.path.exists(path):
            raise WeirPipesError("report_output_path(): nothing was written at %s" % path)
        self._claim_output()
        self._channel.send("output", path=os.path.abspath(path))

    def _claim_output(self):
        if self._output_reported:
            raise WeirPipesError("the output was already reported (report it once)")
        self._output_reported = True

    def close(self, error=None):
        """Ends the connection; `error` (an exception) is sent to Weir with its traceback, and
        Python does not print it again on stderr if it ends the script (Weir shows it)."""
        if self._closed:
            return
        self._closed = True
        fields = {}
        # sys.exit() inside the block is not an error: the exit code says how it ended.
        if error is not None and not isinstance(error, SystemExit):
            import traceback  # only on failure: importing it costs each step milliseconds

            fields["error"] = {
                "type": type(error).__name__,
                "message": str(error),
                "traceback": "".join(
                    traceback.format_exception(type(error), error, error.__traceback__)
                ),
            }
        try:
            self._channel.send("closed", **fields)
        finally:
            self._channel.close()
        if "error" in fields:
            _quiet_once_reported(error)

    def __enter__(self):
        return self

    def __exit__(self, kind, error, tb):
        self.close(error)
        return False
