"""Run with `python3 -m unittest` from this folder.

STAGEC_E2E_FAIL=1, or a file named STAGEC_E2E_FAIL next to this one, fails on purpose.
"""
import os
import unittest

import worker


class WorkerTest(unittest.TestCase):
    def test_summarize(self):
        self.assertEqual(
            worker.summarize([1, 2, 3, 4, 5]),
            {"count": 5, "sum": 15, "mean": 3, "max": 5},
        )

    def test_parse(self):
        self.assertEqual(worker.parse("1, 2 3.5"), [1, 2, 3.5])

    def test_empty_input_is_an_error(self):
        with self.assertRaises(ValueError):
            worker.summarize([])

    def test_deliberate_failure_switch_is_off(self):
        here = os.path.dirname(os.path.abspath(__file__))
        forced = os.environ.get("STAGEC_E2E_FAIL") == "1" or os.path.exists(
            os.path.join(here, "STAGEC_E2E_FAIL")
        )
        self.assertFalse(forced, "STAGEC_E2E_FAIL is set: failing on purpose")


if __name__ == "__main__":
    unittest.main()
