"""Benchmark what reading and matching people costs: list pages, the PMT age bands, and an import
of named victims matched against the people already known.

    .venv/bin/python bench/bench_identity.py --cases 10000 --victims 3000

In a new temporary folder (HAVEN_VAR_DIR: a fresh SQLite database and keys, production
settings), builds one demo agency of --cases cases, then times (best and median of --runs):

- the case list page (`/cases/?status=all`, 50 rows) and an advocate's caseload page
  (`/cases/mine/`), through Django's test client as a signed-in member;
- the people search by name and birth date (`/people/search/`);
- the PMT report of the last full federal quarter (its age bands read every new individual's
  birth date);

and then imports an RMS extract (the `riverside-rms` layout of docs/import-profiles.md) of
--victims named victims: a third of them people the agency knows (same name and birth date),
a third misspelled known people ("Jon Smyth" for "John Smith"), a third new names. It prints
how many were linked and proposed for review and the import's wall and CPU seconds.
"""

import argparse
import csv
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = ROOT / "haven" / "incidents" / "tests" / "data" / "riverside-rms.toml"
HEADER = [
    "RD Number", "Reported", "Occurred", "Dist", "Beat", "Address Block", "Statute",
    "Statute Text", "UCR", "DV", "Weapon", "Victim Name", "Victim DOB", "Victim Sex",
    "Victim Race", "Victim Hisp", "Victim Phone",
]  # fmt: skip


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000, help="demo cases (10000)")
    parser.add_argument("--victims", type=int, default=3_000, help="named victims (3000)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--runs", type=int, default=5, help="runs of each page measure (5)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    var_dir = tempfile.mkdtemp(prefix="haven-bench-identity-")
    os.environ["HAVEN_VAR_DIR"] = var_dir
    for name in ("HAVEN_DATABASE_URL", "HAVEN_TESTING"):
        os.environ.pop(name, None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "haven.settings"
    sys.path.insert(0, str(ROOT))
    try:
        return run(args, Path(var_dir))
    finally:
        if args.keep:
            print(f"kept {var_dir}")
        else:
            shutil.rmtree(var_dir, ignore_errors=True)


DECRYPTED = {"values": 0, "cpu": 0.0}


def count_decryption() -> None:
    """Wrap haven.lib.crypto.decrypt to count the values read and the CPU they cost."""
    import haven.lib.crypto as crypto

    decrypt = crypto.decrypt

    def counted(token: str) -> str:
        before = time.process_time()
        try:
            return decrypt(token)
        finally:
            DECRYPTED["cpu"] += time.process_time() - before
            DECRYPTED["values"] += 1

    crypto.decrypt = counted


def timed(label: str, runs: int, fn) -> None:
    """Best and median wall time, best CPU time, and the values decrypted in one run."""
    walls, cpus = [], []
    for _ in range(runs):
        DECRYPTED.update(values=0, cpu=0.0)
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    print(
        f"  {label:<48} wall best {min(walls) * 1000:7.1f} ms, median "
        f"{statistics.median(walls) * 1000:7.1f} ms; CPU best {min(cpus) * 1000:7.1f} ms; "
        f"{DECRYPTED['values']:,} values decrypted ({DECRYPTED['cpu'] * 1000:.1f} ms CPU)"
    )


def misspell(rng: random.Random, name: str) -> str:
    """One slip a records clerk makes: a vowel changed, a letter doubled, or one dropped."""
    if len(name) < 4:
        return name + name[-1]
    i = rng.randrange(1, len(name) - 1)
    slip = rng.choice(["vowel", "double", "drop"])
    if slip == "vowel" and name[i].lower() in "aeiouy":
        return name[:i] + rng.choice([v for v in "aeiouy" if v != name[i].lower()]) + name[i + 1 :]
    if slip == "double":
        return name[:i] + name[i] + name[i:]
    return name[:i] + name[i + 1 :]


def write_extract(path: Path, known: list, victims: int, seed: int, today) -> dict:
    """Returns {report number: the known person's id} for the misspelled victims."""
    rng = random.Random(seed)
    misspelled = {}
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(HEADER)
        for n in range(victims):
            pk, first, last, born = rng.choice(known)
            kind = n % 3
            if kind == 1:
                first, last = misspell(rng, first), misspell(rng, last)
                misspelled[f"RV26-{n:06d}"] = pk
            elif kind == 2:
                first, last = f"New{n}", f"Person{n}"
                born = today - timedelta(days=rng.randint(18 * 365, 70 * 365))
            when = today - timedelta(days=1, minutes=rng.randint(0, 1400))
            out.writerow(
                [
                    f"RV26-{n:06d}",
                    when.strftime("%Y-%m-%d %H:%M"),
                    when.strftime("%Y-%m-%d %H:%M"),
                    f"{rng.randint(1, 9):03d}",
                    "1134",
                    "011XX S CENTRAL PARK",
                    "720-5/12-3.2",
                    "DOMESTIC BATTERY",
                    "13B",
                    "Y",
                    "HANDS",
                    f"{last.upper()}, {first.upper()}",
                    born.isoformat() if born else "",
                    "F",
                    "W",
                    "N",
                    "",
                ]
            )
    return misspelled


def run(args, var_dir: Path) -> int:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from haven.agencies.models import Agency, Membership
    from haven.cases.models import Case, CaseStatus
    from haven.core.actor import Actor
    from haven.core.scoping import agency_scope
    from haven.demo.builder import build_demo, summary_line
    from haven.incidents.models import MatchCandidate
    from haven.incidents.profile import load_profile
    from haven.incidents.services import incidents_import
    from haven.people.models import Person
    from haven.reports.pmt import Quarter, pmt_report

    count_decryption()
    call_command("migrate", verbosity=0, interactive=False)
    started = time.perf_counter()
    [result] = build_demo(agencies=1, cases=args.cases, seed=args.seed)
    print(summary_line(result))
    print(f"  built in {time.perf_counter() - started:.1f} s")
    agency = Agency.objects.get(slug="riverside")
    settings.ALLOWED_HOSTS = ["*"]
    with agency_scope(agency):
        people = Person.objects.count()
        supervisor_m = Membership.objects.filter(agency=agency, role="supervisor")[0]
        busiest = (
            Case.objects.exclude(status=CaseStatus.CLOSED)
            .exclude(assigned_to=None)
            .values_list("assigned_to", flat=True)
            .order_by("assigned_to")
        )
        loads: dict[int, int] = {}
        for member in busiest:
            loads[member] = loads.get(member, 0) + 1
        advocate_m = Membership.objects.get(pk=max(loads, key=loads.get))
        supervisor = Actor.for_membership(supervisor_m)
        known = [
            (p.pk, p.first_name, p.last_name, p.date_of_birth)
            for p in Person.objects.exclude(date_of_birth=None).order_by("pk")[:5000]
        ]
        sample = known[len(known) // 2]
    print(
        f"  {people:,} people; advocate's caseload {loads[advocate_m.pk]} open cases; "
        f"load average {os.getloadavg()[0]:.1f}"
    )

    def page(member, url):
        client = Client(HTTP_HOST="localhost")
        client.force_login(member.user)

        def get():
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)

        return get

    print(f"Timings ({args.runs} runs each):")
    timed(
        "case list, all cases, first page (50)", args.runs, page(supervisor_m, "/cases/?status=all")
    )
    timed("caseload of the busiest advocate", args.runs, page(advocate_m, "/cases/mine/"))
    _pk, first, last, born = sample
    search = f"/people/search/?first_name={first}&last_name={last}&date_of_birth={born}"
    timed("people search, name and birth date", args.runs, page(supervisor_m, search))
    with agency_scope(agency):
        today = timezone.now().astimezone(agency.tz).date()
        quarter = Quarter.containing(today).previous
        report = pmt_report(supervisor, quarter)
        timed(
            f"PMT report {quarter} ({report.new_individuals:,} new individuals' ages)",
            min(args.runs, 3),
            lambda: pmt_report(supervisor, quarter),
        )

    extract = var_dir / "rms.csv"
    misspelled = write_extract(extract, known, args.victims, args.seed, today)
    with agency_scope(agency), open(extract, "rb") as stream:
        actor = Actor.system(agency, "bench/bench_identity.py")
        DECRYPTED.update(values=0, cpu=0.0)
        wall, cpu = time.perf_counter(), time.process_time()
        imported = incidents_import(
            actor=actor, profile=load_profile(PROFILE), stream=stream, file_name=extract.name
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        found = sum(
            1
            for number, person_id in MatchCandidate.objects.values_list(
                "incident_person__incident__report_number", "person_id"
            )
            if misspelled.get(number) == person_id
        )
    print(
        f"  import of {args.victims:,} named victims ({args.victims // 3 + 1} known, "
        f"{(args.victims + 1) // 3} misspelled, {args.victims // 3} new) against {people:,} "
        f"people: {wall:.1f} s wall, {cpu:.1f} s CPU; {imported.linked} linked, "
        f"{imported.to_review} sent to review; {found} of the {len(misspelled)} misspelled "
        "have their known person proposed; "
        f"{DECRYPTED['values']:,} values decrypted ({DECRYPTED['cpu']:.1f} s CPU)"
    )
    print(f"  load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
