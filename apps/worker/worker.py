"""worker: a one-shot job (standard library only).

Reads numbers from the WORKER_INPUT env var (default "1 2 3 4 5"), prints a JSON
result line and exits 0.
"""
import json
import os
import statistics
import sys


def summarize(numbers):
    if not numbers:
        raise ValueError("no input numbers")
    return {
        "count": len(numbers),
        "sum": sum(numbers),
        "mean": statistics.mean(numbers),
        "max": max(numbers),
    }


def parse(text):
    return [float(x) if "." in x else int(x) for x in text.replace(",", " ").split()]


def main(argv=None):
    text = " ".join(argv) if argv else os.environ.get("WORKER_INPUT", "1 2 3 4 5")
    result = summarize(parse(text))
    print("result: " + json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
