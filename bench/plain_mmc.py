"""The M/M/c queue as a textbook SimPy model: the speed baseline of bench_model.py.

What a user would write: the standard library's ``random`` for the draws,
``simpy.Resource`` for the servers, one process per customer and one process
generating the arrivals. No numpy, no logging; each wait is appended to a list.

    python bench/plain_mmc.py --servers 20 --lam 102 --mu 6 --hours 1960.8 --seed 11

prints the mean wait (hours) and the number of customers who started service.
"""

from __future__ import annotations

import argparse
import random

import simpy


def simulate(servers, lam_per_hour, mu_per_hour, horizon_hours, seed=11):
    """Simulate an M/M/c FCFS queue from empty for ``horizon_hours``.

    Returns the waits (hours, arrival to start of service) of the customers who
    started service before the horizon, in the order they started.
    """
    rng = random.Random(seed)
    env = simpy.Environment()
    counter = simpy.Resource(env, capacity=servers)
    waits = []

    def customer():
        arrived = env.now
        with counter.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(rng.expovariate(mu_per_hour))

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(lam_per_hour))
            env.process(customer())

    env.process(arrivals())
    env.run(until=horizon_hours)
    return waits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--servers", type=int, default=20, help="number of servers c")
    ap.add_argument("--lam", type=float, default=102.0, help="arrival rate per hour")
    ap.add_argument("--mu", type=float, default=6.0, help="service rate per hour of one server")
    ap.add_argument("--hours", type=float, default=24 * 365, help="simulated hours")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    waits = simulate(args.servers, args.lam, args.mu, args.hours, args.seed)
    mean = sum(waits) / len(waits) if waits else float("nan")
    print(f"mean wait {mean:.6f} h over {len(waits)} customers")


if __name__ == "__main__":
    main()
