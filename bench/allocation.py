"""Time a call round's allocation: 10,000 senders' applications over 1,000 offers; one JSON
line per rule.

Usage: ``.venv/bin/python bench/allocation.py [--applicants 10000] [--offers 1000] [--seed 1]``

Each of the 10,000 senders applies with a preference list of 1–5 offers (about 30,000
applications in all); random capacities of 1–10 participants, groups of 1–3
participants (never more than the offer takes), a third of them bringing participants with
fewer opportunities, a 20 % reserve, hosts ranking by fit. Only the allocation is timed (the
instance is built first), wall clock and this process's CPU time (the CPU time is what a busy
machine does not inflate); the stable rule's target is one second. Both rules print their time,
total fit, matched share, first choices, reserve filled and blocking pairs side by side.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exchanges.allocation import (  # noqa: E402
    RULES,
    Applicant,
    Choice,
    Instance,
    Place,
    figures,
    reserve_places,
)


def build(applicants, offers, seed, share=0.2):
    rng = random.Random(seed)
    capacities = {offer: rng.randint(1, 10) for offer in range(offers)}
    people = []
    ranked_by = {offer: [] for offer in range(offers)}
    for applicant in range(applicants):
        reserved = rng.random() < 1 / 3
        choices = []
        for offer in rng.sample(range(offers), rng.randint(1, 5)):
            size = min(capacities[offer], rng.randint(1, 3))
            fit = round(rng.random(), 3)
            choices.append(Choice(offer=offer, size=size, reserved=reserved, fit=fit))
            ranked_by[offer].append((fit, applicant))
        people.append(Applicant(id=applicant, choices=tuple(choices)))
    places = [
        Place(
            id=offer,
            capacity=capacity,
            reserve=reserve_places(capacity, share),
            ranking=tuple(a for _, a in sorted(ranked_by[offer], reverse=True)),
        )
        for offer, capacity in capacities.items()
    ]
    return Instance(people, places)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--applicants", type=int, default=10_000)
    parser.add_argument("--offers", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    instance = build(args.applicants, args.offers, args.seed)
    for rule, allocate in RULES.items():
        started, cpu_started = time.perf_counter(), time.process_time()
        allocation = allocate(instance)
        seconds = time.perf_counter() - started
        cpu_seconds = time.process_time() - cpu_started
        result = figures(instance, allocation)
        print(
            json.dumps(
                {
                    "rule": rule,
                    "senders": args.applicants,
                    "applications": sum(len(a.choices) for a in instance.applicants.values()),
                    "offers": args.offers,
                    "seconds": round(seconds, 3),
                    "cpu_seconds": round(cpu_seconds, 3),
                    "total_fit": round(result.total_fit, 2),
                    "matched_share": round(result.matched_share, 4),
                    "first_choices": result.first_choices,
                    "participants_placed": result.participants_placed,
                    "places": result.places,
                    "reserve_filled": result.reserve_filled,
                    "reserve_places": result.reserve_places,
                    "blocking_pairs": result.blocking_pairs,
                    "target_seconds": 1.0 if rule == "stable" else None,
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
