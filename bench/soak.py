#!/usr/bin/env python3
"""Soak: the real gateway in front of aws-emulator for a long while under
mixed load, with faults and hostile clients at a fixed rate; is anything
growing, lost or done twice?

    /usr/bin/python3 bench/soak.py                 # 30 minutes
    /usr/bin/python3 bench/soak.py --minutes 2 --sample 10   # a quick look

Load, from --workers threads on one channel each: reads (ECS ListClusters),
writes without an idempotency token (AppConfig CreateApplication, each with
a name of its own), watch streams opened and dropped (WatchEcsTask), calls
the client cancels at once, and every 10 s a burst of 200 HTTP/2 streams
reset as they open. The emulator resets, cuts short, fails and throttles a
share of requests (--fault_rate each).

Every --sample seconds the gateway's resident memory, open descriptors and
threads are printed. At the end: the slopes of memory and descriptors after
the warm-up (per hour), the codes of every call, calls that never ended
(lost), and writes done twice (two applications of one name) or reported
OK but not done. Not a test: it prints figures (and one JSON line), and
exits non-zero only for lost calls or double writes.
"""

import argparse
import collections
import json
import os
import random
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.normpath(os.path.join(HERE, ".."))
sys.path[:0] = [os.path.join(REPO, "tests", "e2e"), os.path.join(REPO, "tests", "emulator")]


def proc_stats(pid):
    with open(f"/proc/{pid}/status") as f:
        status = dict(line.split(":", 1) for line in f if ":" in line)
    rss_kib = int(status["VmRSS"].split()[0])
    return {"rss_mib": round(rss_kib / 1024, 1), "fds": len(os.listdir(f"/proc/{pid}/fd")),
            "threads": int(status["Threads"])}


def slope_per_hour(points):
    """Least-squares slope of (seconds, value) points, per hour."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mx = sum(x for x, _ in points) / n
    my = sum(y for _, y in points) / n
    var = sum((x - mx) ** 2 for x, _ in points)
    if var == 0:
        return 0.0
    return sum((x - mx) * (y - my) for x, y in points) / var * 3600


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--sample", type=float, default=60, help="seconds between samples")
    parser.add_argument("--warmup", type=float, default=5, help="minutes left out of the slopes")
    parser.add_argument("--workers", type=int, default=6)
    parser.add_argument("--fault_rate", type=float, default=0.01)
    parser.add_argument("--build", default=os.path.join(REPO, "build"))
    args = parser.parse_args()

    os.environ.setdefault(
        "AWSGW_GATEWAY", os.path.join(args.build, "gateway", "server", "aws-grpc-gateway"))
    os.environ.setdefault("AWSGW_PYTHON_OUT", os.path.join(args.build, "python"))
    os.environ.setdefault("AWSGW_EMULATOR", os.path.join(args.build, "emulator", "aws-emulator"))
    sys.path.insert(0, os.path.join(args.build, "python"))
    import grpc
    from emulator_process import EmulatorProcess, require_botocore
    require_botocore()
    from gateway_process import GatewayProcess
    from h2_client import H2Connection
    from aws.appconfig.v1 import appconfig_pb2, appconfig_pb2_grpc
    from aws.ecs.v1 import ecs_pb2, ecs_pb2_grpc
    from awsgw.watch.v1 import watch_pb2, watch_pb2_grpc

    rate = str(args.fault_rate)
    emu = EmulatorProcess("--time_scale", "0.02", "--fault_seed", "3",
                          "--fault_reset_rate", rate, "--fault_truncate_rate", rate,
                          "--fault_error_rate", rate, "--fault_throttle_rate", rate)
    gateway = GatewayProcess("--metrics_listen", "127.0.0.1:0", env=emu.gateway_env())
    pid = gateway.proc.pid

    setup = grpc.insecure_channel(gateway.address)
    ecs = ecs_pb2_grpc.EcsServiceStub(setup)
    # The tasks the watch churn watches. RunTask needs its cluster; faults
    # may fail a few attempts, but a soak without watches is not this soak.
    ecs.CreateCluster(ecs_pb2.CreateClusterRequest(cluster_name="default"), timeout=30,
                      wait_for_ready=True)
    tasks = []
    for _ in range(20):
        try:
            tasks += [t.task_arn for t in ecs.RunTask(ecs_pb2.RunTaskRequest(
                task_definition="soak:1", count=5, client_token=os.urandom(8).hex()),
                timeout=10).tasks]
        except grpc.RpcError:
            pass
    if not tasks:
        sys.exit("soak: no ECS task could be started to watch")

    end = time.monotonic() + args.minutes * 60
    codes = collections.Counter()
    writes = {}  # name -> code
    lost = []
    lock = threading.Lock()

    def note(kind, code):
        with lock:
            codes[(kind, code)] += 1

    def worker(index):
        rng = random.Random(index)
        channel = grpc.insecure_channel(gateway.address)
        ecs = ecs_pb2_grpc.EcsServiceStub(channel)
        appconfig = appconfig_pb2_grpc.AppConfigServiceStub(channel)
        watch = watch_pb2_grpc.WatchServiceStub(channel)
        n = 0
        while time.monotonic() < end:
            n += 1
            pick = rng.random()
            try:
                if pick < 0.6:
                    ecs.ListClusters(ecs_pb2.ListClustersRequest(), timeout=10)
                    note("read", "OK")
                elif pick < 0.8:
                    name = f"soak-{index}-{n}"
                    try:
                        appconfig.CreateApplication(appconfig_pb2.CreateApplicationRequest(
                            name=name), timeout=10)
                        code = "OK"
                    except grpc.RpcError as e:
                        code = e.code().name
                    with lock:
                        writes[name] = code
                    note("write", code)
                elif pick < 0.9 and tasks:
                    stream = watch.WatchEcsTask(
                        watch_pb2.WatchEcsTaskRequest(task=rng.choice(tasks)),
                        timeout=rng.uniform(0.3, 3))
                    try:
                        for _ in stream:
                            pass
                        note("watch", "OK")
                    except grpc.RpcError as e:
                        note("watch", e.code().name)
                else:
                    future = ecs.ListClusters.future(ecs_pb2.ListClustersRequest(), timeout=10)
                    time.sleep(rng.uniform(0, 0.005))
                    future.cancel()
                    note("cancelled", "CANCELLED")
            except grpc.RpcError as e:
                note("read", e.code().name)
            except Exception as e:  # noqa: BLE001 -- any other end is a lost call
                with lock:
                    lost.append(repr(e))
        channel.close()

    def resetter():
        while time.monotonic() < end:
            try:
                with H2Connection(gateway.address) as conn:
                    for _ in range(200):
                        conn.reset(conn.start_call("/aws.ecs.v1.EcsService/ListClusters"))
                    conn.flush()
                    conn.read_events(0.2)
                note("reset burst", "sent")
            except OSError:
                note("reset burst", "refused")
            time.sleep(10)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
    threads.append(threading.Thread(target=resetter))
    start = time.monotonic()
    for t in threads:
        t.start()
    samples = []
    print(f"{'min':>6} {'rss MiB':>8} {'fds':>5} {'threads':>7} {'calls':>8}", flush=True)
    while time.monotonic() < end:
        time.sleep(min(args.sample, max(0.0, end - time.monotonic())))
        stats = proc_stats(pid)
        stats["t"] = time.monotonic() - start
        samples.append(stats)
        with lock:
            total = sum(codes.values())
        print(f"{stats['t'] / 60:6.1f} {stats['rss_mib']:8.1f} {stats['fds']:5d} "
              f"{stats['threads']:7d} {total:8d}", flush=True)
    for t in threads:
        t.join(timeout=60)
    hung = sum(t.is_alive() for t in threads)

    # What exists: every application, read straight from the emulator.
    appconfig = emu.client("appconfig", retries={"total_max_attempts": 30})
    found = collections.Counter()
    token = None
    while True:
        page = appconfig.list_applications(**({"NextToken": token} if token else {}))
        for app in page["Items"]:
            found[app["Name"]] += 1
        token = page.get("NextToken")
        if not token:
            break
    twice = sorted(name for name, count in found.items() if count > 1)
    missing = sorted(name for name, code in writes.items() if code == "OK" and not found[name])

    after = [s for s in samples if s["t"] >= args.warmup * 60] or samples
    report = {
        "minutes": args.minutes,
        "rss_mib_first": samples[0]["rss_mib"] if samples else None,
        "rss_mib_last": samples[-1]["rss_mib"] if samples else None,
        "rss_mib_per_hour": round(slope_per_hour([(s["t"], s["rss_mib"]) for s in after]), 2),
        "fds_per_hour": round(slope_per_hour([(s["t"], s["fds"]) for s in after]), 2),
        "calls": sum(codes.values()),
        "codes": {f"{k}:{c}": n for (k, c), n in sorted(codes.items())},
        "lost": len(lost) + hung,
        "writes": len(writes),
        "written_twice": len(twice),
        "ok_but_missing": len(missing),
        "limit_refusals": gateway.metrics().count("awsgw_limit_refusals_total{"),
    }
    print(json.dumps(report), flush=True)
    setup.close()
    gateway.stop()
    emu.stop()
    return 1 if report["lost"] or twice or missing else 0


if __name__ == "__main__":
    sys.exit(main())
