#!/usr/bin/python3
"""metrics/get-history as a Python client sees it: request and json.loads, p50 of N calls.

Standard library only (urllib, json), one HTTP/1.1 keep-alive connection (http.client, as urllib3 keeps one),
the answer's point count checked. Prints one line: "p50_ms=<ms> max_ms=<ms> points=<n>".

    /usr/bin/python3 bench/history_python_client.py --url http://127.0.0.1:5000 --run-id ID --key loss --calls 20
"""

import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="the server, http://host:port")
    parser.add_argument("--run-id", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--expected-points", type=int, default=-1, help="fail unless every answer has this many")
    args = parser.parse_args()

    server = urllib.parse.urlsplit(args.url)
    connection = http.client.HTTPConnection(server.hostname, server.port, timeout=60)
    path = "/api/2.0/mlflow/metrics/get-history?" + urllib.parse.urlencode(
        {"run_id": args.run_id, "metric_key": args.key})
    latencies = []
    points = 0
    for _ in range(max(1, args.calls) + 1):  # the first call is not timed (connection set-up)
        start = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        answer = json.loads(response.read())
        elapsed = time.perf_counter() - start
        if response.status != 200:
            sys.exit(f"get-history answered {response.status}: {answer}")
        points = len(answer.get("metrics", []))
        if args.expected_points >= 0 and points != args.expected_points:
            sys.exit(f"get-history answered {points} points, expected {args.expected_points}")
        latencies.append(elapsed)
    latencies = latencies[1:]
    print(f"p50_ms={statistics.median(latencies) * 1000:.2f} max_ms={max(latencies) * 1000:.2f} points={points}")


if __name__ == "__main__":
    main()
