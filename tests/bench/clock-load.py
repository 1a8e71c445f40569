#!/usr/bin/python3
# Load generator for bench-server: CONCURRENCY processes, each with one
# kept-alive TLS connection, POST clock-ins with an Idempotency-Key each and
# time every answer. Prints one JSON object with the totals.
# usage: clock-load.py BASE-URL TOKEN EMPLOYEE-ID CA-FILE REQUESTS CONCURRENCY
import http.client
import json
import multiprocessing
import ssl
import sys
import time
import urllib.parse
import uuid


def worker(args):
    base, token, employee, ca, worker_id, count, start_at = args
    url = urllib.parse.urlsplit(base)
    context = ssl.create_default_context(cafile=ca)
    connection = http.client.HTTPSConnection(url.hostname, url.port, context=context)
    path = url.path + "clocks/api/clock/v3/clock-in"
    latencies = []
    failed = 0
    while time.time() < start_at:
        time.sleep(0.001)
    for i in range(count):
        body = json.dumps({"id": "load-%d-%d" % (worker_id, i), "employeeId": employee, "kind": "in",
                           "dateTime": "2026-11-27T07:00:00Z", "source": "kiosk:bench",
                           "deviceSeq": i})
        started = time.perf_counter()
        connection.request("POST", path, body=body,
                           headers={"Authorization": "Token " + token,
                                    "Idempotency-Key": str(uuid.uuid4()),
                                    "Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 201:
            failed += 1
    return latencies, failed


def main():
    base, token, employee, ca, requests, concurrency = sys.argv[1:7]
    requests, concurrency = int(requests), int(concurrency)
    start_at = time.time() + 0.5
    jobs = [(base, token, employee, ca, k, requests // concurrency, start_at) for k in range(concurrency)]
    with multiprocessing.Pool(concurrency) as pool:
        results = pool.map(worker, jobs)
    elapsed = time.time() - start_at
    latencies = sorted(l for r in results for l in r[0])
    failed = sum(r[1] for r in results)
    print(json.dumps({"requests": len(latencies), "failed": failed, "seconds": elapsed,
                      "p50_ms": latencies[len(latencies) // 2] * 1000,
                      "p99_ms": latencies[len(latencies) * 99 // 100] * 1000}))


if __name__ == "__main__":
    main()
