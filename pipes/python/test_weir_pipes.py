"""Unit tests of the weir_pipes client: python3 -m unittest test_weir_pipes (in this folder)."""

import json
import os
import tempfile
import unittest

import weir_pipes


class ClientTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.read_fd, self.write_fd = os.pipe()
        self.addCleanup(self._close_read)

    def _close_read(self):
        try:
            os.close(self.read_fd)
        except OSError:
            pass

    def context(self, **overrides):
        data = {
            "protocol": weir_pipes.PROTOCOL,
            "asset_key": "ml/forecast",
            "partition": {"key": "2024-03-01", "start": "2024-03-01T00:00:00.000Z"},
            "run_id": "run-1",
            "attempt": 2,
            "code_version": "abc",
            "inputs": {
                "series": {"kind": "value", "value": [1, 2, 3]},
                "raster": {"kind": "path", "path": "/data/dem.tif", "type": "file"},
                "days": {
                    "kind": "partitions",
                    "values": {
                        "2024-02-29": {"kind": "value", "value": {"n": 1}},
                        "2024-03-01": {"kind": "path", "path": "/x", "type": "directory"},
                    },
                },
            },
            "params": {"horizon": 24},
            "output_path": os.path.join(self.dir.name, "output"),
        }
        data.update(overrides)
        path = os.path.join(self.dir.name, "context.json")
        with open(path, "w") as f:
            json.dump(data, f)
        return path

    def messages(self):
        try:
            os.close(self.write_fd)
        except OSError:
            pass
        chunks = []
        while True:
            chunk = os.read(self.read_fd, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        return [json.loads(line) for line in b"".join(chunks).decode().splitlines()]

    def open(self, **overrides):
        return weir_pipes.open(self.context(**overrides), "fd:%d" % self.write_fd)

    def test_context_and_inputs(self):
        with self.open() as ctx:
            self.assertEqual(ctx.asset_key, "ml/forecast")
            self.assertEqual(ctx.partition_key, "2024-03-01")
            self.assertEqual(ctx.run_id, "run-1")
            self.assertEqual(ctx.attempt, 2)
            self.assertEqual(ctx.code_version, "abc")
            self.assertEqual(ctx.params, {"horizon": 24})
            self.assertEqual(
                ctx.inputs,
                {
                    "series": [1, 2, 3],
                    "raster": "/data/dem.tif",
                    "days": {"2024-02-29": {"n": 1}, "2024-03-01": "/x"},
                },
            )
            ctx.report_output(None)
        opened = self.messages()[0]
        self.assertEqual(opened["type"], "opened")
        self.assertEqual(opened["weir_pipes"], weir_pipes.PROTOCOL)
        self.assertEqual(opened["pid"], os.getpid())

    def test_messages_one_json_line_each(self):
        with self.open() as ctx:
            ctx.log.info("epoch done", epoch=3, loss=0.25)
            ctx.log.warning("slow")
            ctx.report_metadata({"rows": 10})
            ctx.report_check("nse", passed=True, message="0.81", metadata={"nse": 0.81})
            ctx.report_data_version("v-7")
            ctx.report_output({"a": [1, None]})
        messages = self.messages()
        self.assertEqual(
            [m["type"] for m in messages],
            ["opened", "log", "log", "metadata", "check", "data_version", "output", "closed"],
        )
        self.assertTrue(all(m["weir_pipes"] == weir_pipes.PROTOCOL for m in messages))
        self.assertEqual(messages[1]["fields"], {"epoch": 3, "loss": 0.25})
        self.assertEqual(messages[2]["level"], "warn")
        self.assertEqual(
            messages[4],
            {
                "weir_pipes": 1,
                "type": "check",
                "name": "nse",
                "passed": True,
                "message": "0.81",
                "metadata": {"nse": 0.81},
            },
        )
        self.assertEqual(messages[6]["value"], {"a": [1, None]})
        self.assertNotIn("error", messages[7])

    def test_a_step_whose_launcher_is_gone_stops(self):
        import subprocess
        import sys
        import time

        folder = tempfile.mkdtemp()
        marker = os.path.join(folder, "ran")
        # The step: watches its parent, then would write the marker after 2 s.
        step = (
            "import sys, time, weir_pipes; weir_pipes._watch_parent(0.05); "
            "time.sleep(2); open(sys.argv[1], 'w').write('ran')"
        )
        # Its launcher starts it, and is gone while it runs (as a worker killed with SIGKILL).
        launcher = (
            "import subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', sys.argv[1], sys.argv[2]]); time.sleep(0.7)"
        )
        env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.abspath(weir_pipes.__file__)))
        subprocess.run(
            [sys.executable, "-c", launcher, step, marker], env=env, check=True, stderr=subprocess.DEVNULL
        )
        time.sleep(3)
        self.assertFalse(os.path.exists(marker), "the orphaned step ran on")

    def test_exception_is_sent_with_its_traceback(self):
        with self.assertRaises(ZeroDivisionError):
            with self.open():
                1 / 0
        closed = self.messages()[-1]
        self.assertEqual(closed["type"], "closed")
        self.assertEqual(closed["error"]["type"], "ZeroDivisionError")
        self.assertIn("1 / 0", closed["error"]["traceback"])

    def test_a_reported_exception_is_not_printed_again_when_it_ends_the_script(self):
        import io
        import sys

        previous = sys.excepthook
        self.addCleanup(setattr, sys, "excepthook", previous)
        printed = io.StringIO()
        self.addCleanup(setattr, sys, "stderr", sys.stderr)
        sys.stderr = printed
        try:
            with self.open():
                raise KeyError("stage")
        except KeyError as error:
            reported = error
        sys.excepthook(KeyError, reported, reported.__traceback__)
        self.assertEqual(printed.getvalue(), "")
        other = ValueError("not reported")
        sys.excepthook(ValueError, other, None)
        self.assertIn("ValueError: not reported", printed.getvalue())

    def test_sys_exit_is_not_an_error(self):
        with self.assertRaises(SystemExit):
            with self.open():
                raise SystemExit(0)
        self.assertNotIn("error", self.messages()[-1])

    def test_not_json_is_refused_in_python(self):
        with self.open() as ctx:
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "metadata: the value is not JSON"):
                ctx.report_metadata({"score": float("nan")})
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "output: the value is not JSON"):
                ctx.report_output({1, 2})

    def test_output_once_and_at_the_given_path(self):
        with self.open() as ctx:
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "nothing was written"):
                ctx.report_output_path()
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "write the output at ctx.output_path"):
                ctx.report_output_path("/tmp/elsewhere")
            ctx.report_output(1)
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "already reported"):
                ctx.report_output(2)

    def test_bad_calls(self):
        with self.open() as ctx:
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "passed=True or False"):
                ctx.report_check("x", "yes")
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "takes a dict"):
                ctx.report_metadata([1])
        with self.assertRaisesRegex(weir_pipes.WeirPipesError, "after the connection to Weir was closed"):
            ctx.log.info("late")

    def test_another_protocol_version_is_refused(self):
        with self.assertRaisesRegex(
            weir_pipes.WeirPipesError, "Weir speaks weir_pipes protocol 99, this weir_pipes.py"
        ):
            self.open(protocol=99)

    def test_not_launched_by_weir(self):
        saved = {k: os.environ.pop(k, None) for k in (weir_pipes.CONTEXT_ENV, weir_pipes.MESSAGES_ENV)}
        try:
            with self.assertRaisesRegex(weir_pipes.WeirPipesError, "not launched by Weir"):
                weir_pipes.open()
        finally:
            for key, value in saved.items():
                if value is not None:
                    os.environ[key] = value

    def test_unknown_channel(self):
        with self.assertRaisesRegex(weir_pipes.WeirPipesError, "expected 'fd:N'"):
            weir_pipes.open(self.context(), "file:/tmp/messages")
        with self.assertRaisesRegex(weir_pipes.WeirPipesError, "not open in this process"):
            weir_pipes.open(self.context(), "fd:987")


if __name__ == "__main__":
    unittest.main()
