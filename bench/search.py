"""``python -m bench.search``: the officials' registry search, timed per query on 100,000
people, in any script and transliteration (engine time; the page adds one indexed query for
the 50 people it shows)."""

from __future__ import annotations

import argparse
import statistics
import time

from bench.lists import release_list
from bench.population import registry
from bench.systems import as_person
from captives.matching import Entry, RegistryIndex, search


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--registry", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    args = parser.parse_args()
    people = registry(args.registry, 1)
    index = RegistryIndex([as_person(p) for p in people])
    rows = release_list(people, args.queries, 77)
    # Officials type names, sometimes only a surname, sometimes with a date.
    queries = [
        Entry(
            0,
            r.entry.full_name.split()[0] if n % 5 == 0 else r.entry.full_name,
            birth_date=r.entry.birth_date if n % 3 == 0 else None,
        )
        for n, r in enumerate(rows)
    ]
    timings, found = [], 0
    for query in queries:
        started = time.perf_counter()
        results = search(query, index, limit=50)
        timings.append((time.perf_counter() - started) * 1000)
        found += bool(results)
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"registry {args.registry:,}; {len(queries)} queries; {found} with results")
    print(
        f"search ms: p50 {statistics.median(timings):.1f}, p95 {p95:.1f}, max {timings[-1]:.1f} "
        "(target: p95 under 200 ms)"
    )


if __name__ == "__main__":
    main()
