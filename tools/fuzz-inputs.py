#!/usr/bin/env python3
"""Mutation fuzzing of agl's input readers: bad input must give a clear error, never a crash or a hang.

Takes small valid inputs (the test fixtures, a 32-atom LJ data set it writes itself, and the restart and
checkpoint files of a short MD run and an interrupted training), mutates one file per case and runs the agl
command that reads it. Text files: a line deleted, duplicated or swapped, a token replaced by an awkward
value, the file cut short, bytes inserted. JSON files: a value replaced, a key or list entry removed.
Binary files (checkpoints, state .part files): cut short, bytes changed or inserted. The options/ targets
change the value of one numeric command-line option instead. A case FAILS when agl
  - dies from a signal, or sanitizer output appears (build with -fsanitize=address,undefined to see more),
  - runs past the time limit (a hang),
  - throws past main ("terminate called"),
  - exits non-zero without an "error" line on stderr,
  - exits zero but writes nan or inf into its output (a silent wrong answer).
Errors that do not name the mutated file are counted separately ("unnamed"): most should name it.

Usage: tools/fuzz-inputs.py --agl build/agl [--cases 400] [--seed 1] [--timeout 30] [--keep DIR]
Same seed: same mutations. Exit status 1 when any case failed; the failing cases are kept in DIR.
"""
import argparse
import atexit
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AWKWARD = ["", "nan", "NaN", "inf", "-inf", "-1", "0", "1e400", "-1e400", "1e-320", "abc", "99999999999999999999",
           "-2147483649", "4294967296", "0x10", "1.5.5", "+", "--", "\u00e9", "Xx", "H", "3", "2", "9", "1e5"]


def lj_data():
    """32 atoms of an fcc Ar-like lattice (rho = 1, cell smaller than twice the cutoff), two structures."""
    rng = random.Random(7)
    a = (4 / 1.0) ** (1 / 3)
    box = 2 * a
    out = []
    for s in range(2):
        out.append("begin\ncomment fuzz seed\n")
        for k in range(3):
            out.append("lattice " + " ".join(f"{box if k == d else 0.0:.6f}" for d in range(3)) + "\n")
        for i in range(2):
            for j in range(2):
                for k in range(2):
                    for b in [(0, 0, 0), (0.5, 0.5, 0), (0.5, 0, 0.5), (0, 0.5, 0.5)]:
                        p = [(c + o) * a + rng.uniform(-0.05, 0.05) for c, o in zip((i, j, k), b)]
                        out.append("atom {:.6f} {:.6f} {:.6f} Ar 0.0 0.0 0.1 -0.2 0.3\n".format(*p))
        out.append(f"energy {-180.0 + s:.4f}\ncharge 0.0\nend\n")
    return "".join(out)


def mutate(text, rng):
    """One random mutation of a text file; returns (new text, description)."""
    lines = text.splitlines(keepends=True)
    kind = rng.choice(["token", "token", "token", "token", "delete", "duplicate", "swap", "truncate", "insert",
                       "blank-token"])
    if kind == "truncate":
        cut = rng.randrange(len(text) + 1)
        return text[:cut], f"truncated at byte {cut}"
    if kind == "insert":
        pos = rng.randrange(len(text) + 1)
        junk = rng.choice(["\0", "\r", "\t", "\xff", "  ", "\n", "#", "!", "begin\n", "end\n", "atom 0 0 0 Ar\n"])
        return text[:pos] + junk + text[pos:], f"inserted {junk!r} at byte {pos}"
    if not lines:
        return text + "x\n", "appended x"
    i = rng.randrange(len(lines))
    if kind == "delete":
        return "".join(lines[:i] + lines[i + 1:]), f"deleted line {i + 1}"
    if kind == "duplicate":
        return "".join(lines[:i + 1] + lines[i:]), f"duplicated line {i + 1}"
    if kind == "swap":
        j = rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
        return "".join(lines), f"swapped lines {i + 1} and {j + 1}"
    tokens = lines[i].split()
    if not tokens:
        return text, "no-op"
    t = rng.randrange(len(tokens))
    tokens[t] = "" if kind == "blank-token" else rng.choice(AWKWARD)
    lines[i] = " ".join(tokens) + "\n"
    return "".join(lines), f"line {i + 1} token {t + 1} -> {tokens[t]!r}"


def mutate_json(text, rng):
    """A random leaf of the JSON document replaced by an awkward value, or a key or list entry removed."""
    doc = json.loads(text)
    paths = []

    def walk(node, path):
        paths.append(path)
        children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
        for key, child in children:
            walk(child, path + [key])

    walk(doc, [])
    path = rng.choice(paths[1:]) if len(paths) > 1 else []
    if not path:
        return text[: len(text) // 2], "cut in half"
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if rng.random() < 0.3:
        del parent[path[-1]]
        return json.dumps(doc), f"removed {path}"
    value = rng.choice([None, True, "x", -1, 0, 1e308, -1e308, 2**63, 0.5, [], {}, float("nan"), float("inf")])
    parent[path[-1]] = value
    return json.dumps(doc), f"{path} -> {value!r}"


def mutate_binary(data, rng):
    kind = rng.choice(["truncate", "flip", "flip", "insert"])
    pos = rng.randrange(len(data) + (kind == "insert"))
    if kind == "truncate":
        return data[:pos], f"truncated at byte {pos}"
    if kind == "insert":
        return data[:pos] + bytes([rng.randrange(256)]) + data[pos:], f"inserted a byte at {pos}"
    junk = rng.choice([0x00, 0xff, 0x7f, 0x80]) if rng.random() < 0.5 else rng.randrange(256)
    return data[:pos] + bytes([junk]) + data[pos + 1:], f"byte {pos} -> {junk:#04x}"


# Option values: no huge counts, which are valid requests for a long run rather than bad input.
AWKWARD_OPTIONS = ["nan", "inf", "-inf", "-1", "0", "-0", "1e400", "1e-300", "abc", "", "0.5", "-2147483649"]


def mutate_option(argv, rng):
    """argv with the value of one numeric option replaced by an awkward one."""
    numeric = [i for i in range(1, len(argv)) if argv[i - 1].startswith("--") and
               argv[i].replace(".", "", 1).replace("e-", "", 1).lstrip("-").isdigit()]
    i = rng.choice(numeric)
    value = rng.choice(AWKWARD_OPTIONS)
    return argv[:i] + [value] + argv[i + 1:], f"{argv[i - 1]} {value!r}"


def mutated(path, data, rng):
    """(new bytes, description) for one mutation of the file's contents `data`."""
    if path.endswith((".ckpt", ".part")):
        return mutate_binary(data, rng)
    text = data.decode("utf-8", errors="surrogateescape")
    new, what = mutate_json(text, rng) if path.endswith(".json") else mutate(text, rng)
    return new.encode("utf-8", errors="surrogateescape"), what


def files_after(agl, files, argv):
    """files plus what `agl argv` (run in a scratch folder holding them) leaves there."""
    d = case_folder()
    try:
        write_files(d, files)
        p = subprocess.run([agl] + argv, capture_output=True, text=True, cwd=d)
        if p.returncode not in (0, 130):
            sys.exit(f"fuzz-inputs: setup `agl {' '.join(argv)}` failed: {p.stderr.strip()[-500:]}")
        out = {}
        for root, _, names in os.walk(d):
            for n in names:
                full = os.path.join(root, n)
                with open(full, "rb") as f:
                    out[os.path.relpath(full, d)] = f.read()
        return out
    finally:
        shutil.rmtree(d, ignore_errors=True)


CASE_ROOT = tempfile.mkdtemp(prefix="agl-fuzz-")
atexit.register(shutil.rmtree, CASE_ROOT, True)  # also when a setup run fails and the script exits early


def case_folder():
    """The one folder every case (and every setup run) uses: restart files record absolute paths."""
    d = os.path.join(CASE_ROOT, "case")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def write_files(d, files):
    for rel, data in files.items():
        os.makedirs(os.path.dirname(os.path.join(d, rel)), exist_ok=True)
        with open(os.path.join(d, rel), "wb") as f:
            f.write(data)


def ref_extxyz():
    """Two frames whose reference sits in REF_energy and REF_forces beside a model's energy and forces, with a
    wide column to leave out (magmoms:R:5)."""
    rng = random.Random(11)
    out = []
    for frame in range(2):
        out.append("3")
        out.append('Lattice="6 0 0 0 6 0 0 0 6" Properties=species:S:1:pos:R:3:magmoms:R:5:forces:R:3:'
                   f'REF_forces:R:3 energy={-3.0 - frame} REF_energy={-3.1 - frame} pbc="T T T" stress="1 2 3"')
        for a in range(3):
            numbers = [a * 1.9 + rng.uniform(0, 0.3) for _ in range(3)] + [0.5] * 5 + \
                      [rng.uniform(-1, 1) for _ in range(6)]
            out.append("Si " + " ".join(f"{x:.6f}" for x in numbers))
    return "\n".join(out) + "\n"


def targets(agl):
    """(name, files {relative path: bytes}, the file to mutate, argv (run in the case's folder), outputs to scan)."""
    fixtures = os.path.join(ROOT, "tests", "data")
    read = lambda *p: open(os.path.join(fixtures, *p), "rb").read()
    lj7 = {f"pot/{n}": read("hdnnp", "lj7", n) for n in ("input.nn", "scaling.data", "weights.018.data")}
    lj = {"lj.data": lj_data().encode(), **lj7}
    water = {"water.data": read("io", "mixed.data").split(b"end\n")[0] + b"end\n", "settings.nn": read("io", "settings.nn")}
    xyz = {"props.extxyz": read("io", "props.extxyz")}
    predict = ["predict", "--potential", "pot", "--data", "lj.data", "--out", "e.csv", "--forces",
               "f.csv", "--device", "cpu"]
    features = ["features", "--data", "water.data", "--nn", "settings.nn", "--out", "feat",
                "--derivatives", "--write-function-data", "--device", "cpu", "--precision", "fp64"]
    convert = ["convert", "props.extxyz", "out.data"]
    ref_xyz = {"ref.xyz": ref_extxyz().encode()}
    convert_ref = ["convert", "ref.xyz", "out.data", "--energy-key", "REF_energy", "--forces-key", "REF_forces",
                   "--drop", "energy,forces,magmoms"]
    md = ["md", "--potential", "pot", "--data", "lj.data", "--temp", "1.0", "--restart-every", "5",
          "--traj-every", "5", "--threads", "1", "--out", "md"]
    md_run = files_after(agl, lj, md + ["--steps", "10"])
    train = ["train", "--data", "lj.data", "--nn", "pot/input.nn", "--out", "tr", "--epochs", "6",
             "--checkpoint-every", "2", "--device", "cpu", "-q"]
    train_run = files_after(agl, lj, train + ["--stop-after", "2"])
    select = ["select", "--data", "lj.data", "--nn", "pot/input.nn", "--out", "sel", "--lambdas", "3", "--epochs-gl",
              "3", "--epochs-agl", "3", "--epochs-refit", "3", "--probe-epochs", "2", "--lr", "1e-3", "--cost-seconds", "0",
              "--device", "cpu"]
    select_run = files_after(agl, lj, select)
    select_cv = select + ["--refit-folds", "2"]
    select_cv_run = files_after(agl, lj, select_cv)
    compare = ["compare", "--data", "lj.data", "--nn", "pot/input.nn", "--out", "cmp", "--sets", "all,pc", "--n",
               "2", "--models", "1", "--restarts", "1", "--batch-size", "8", "--test-fraction", "0.25",
               "--cost-structures", "0", "--device", "cpu"]
    compare_run = files_after(agl, lj, compare)
    features_lj = ["features", "--data", "lj.data", "--nn", "pot/input.nn", "--out", "flj", "--derivatives",
                   "--chunk", "1", "--device", "cpu", "-q"]
    features_run = files_after(agl, lj, features_lj + ["--stop-after", "1"])
    long_md = [a if a != "5" else "1" for a in md]  # a frame every step: enough lags for the diffusion fit
    long_md_run = files_after(agl, lj, long_md + ["--steps", "30"])
    analyze = ["analyze", "--traj", "md/trajectory.xyz", "--out", "an", "--force"]
    return [
        ("options/md", lj, None, md + ["--steps", "10", "--tdamp", "0.1", "--seed", "3"], ["md/thermo.csv"]),
        ("options/train", lj, None, train + ["--batch", "8", "--lr", "1e-3", "--patience", "4", "--validation",
                                             "0.3", "--test", "0.2", "--models", "2"], ["tr/training.csv"]),
        ("options/select", lj, None, select + ["--patience", "4", "--tolerance", "0.1", "--lambda-ratio", "0.01",
                                               "--batch", "8", "--validation-fraction", "0.1",
                                               "--refit-folds", "2", "--cost-structures", "2", "--suggest-by",
                                               "work"], ["sel/path.csv"]),
        ("options/analyze", long_md_run, None, analyze + ["--rdf-bin", "0.05", "--skip", "2", "--rdf-max", "1.5"],
         ["an/rdf.csv", "an/msd.csv"]),
        ("predict/input.data", lj, "lj.data", predict, ["e.csv", "f.csv"]),
        ("predict/input.nn", lj, "pot/input.nn", predict, ["e.csv", "f.csv"]),
        ("predict/scaling.data", lj, "pot/scaling.data", predict, ["e.csv", "f.csv"]),
        ("predict/weights", lj, "pot/weights.018.data", predict, ["e.csv", "f.csv"]),
        ("features/input.data", water, "water.data", features, ["feat/scaling.data", "feat/function.data"]),
        ("features/input.nn", water, "settings.nn", features, ["feat/scaling.data", "feat/function.data"]),
        ("convert/extxyz", xyz, "props.extxyz", convert, ["out.data"]),
        ("convert/extxyz-keys", ref_xyz, "ref.xyz", convert_ref, ["out.data"]),
        ("md-resume/restart.json", md_run, "md/restart.json", md + ["--steps", "20", "--resume"],
         ["md/thermo.csv"]),
        ("train-resume/checkpoint", train_run, "tr/checkpoint.ckpt", train + ["--resume"], ["tr/training.csv"]),
        ("train-resume/run.json", train_run, "tr/run.json", train + ["--resume"], ["tr/training.csv"]),
        ("select-resume/stage", select_run, "sel/state/stage_agl.json", select + ["--force"], ["sel/path.csv"]),
        ("select-resume/cv-stage", select_cv_run, "sel/state/stage_cv1.json", select_cv + ["--force"],
         ["sel/path.csv"]),
        ("select-resume/config", select_run, "sel/state/config.json", select + ["--force"], ["sel/path.csv"]),
        ("compare-resume/set", compare_run, "cmp/state/set_1.json", compare + ["--force"], ["cmp/compare.csv"]),
        ("compare-resume/config", compare_run, "cmp/state/config.json", compare + ["--force"], ["cmp/compare.csv"]),
        ("features-resume/progress", features_run, "flj/state/features_progress.json", features_lj,
         ["flj/scaling.data"]),
        ("features-resume/config", features_run, "flj/state/config.json", features_lj, ["flj/scaling.data"]),
        ("features-resume/part", features_run, "flj/state/features_dGdr_Ar.npy.part", features_lj,
         ["flj/scaling.data"]),
        ("analyze/trajectory", long_md_run, "md/trajectory.xyz", analyze, ["an/rdf.csv", "an/msd.csv"]),
    ]


def has_nonfinite(path):
    if not os.path.exists(path):
        return False
    with open(path, encoding="utf-8", errors="replace") as f:
        # an input.data comment line is free text, copied as read ("a inf word" is no number)
        text = "\n".join(line for line in f.read().lower().splitlines() if not line.startswith("comment"))
    return any(w in text.replace(",", " ").split() for w in ("nan", "-nan", "inf", "-inf"))


def run_case(agl, name, files, victim, argv, outputs, rng, timeout, keep, index):
    work = case_folder()
    try:
        write_files(work, files)
        if victim is None:  # an option value instead of a file
            argv, what = mutate_option(argv, rng) if rng else (argv, "none (the given options)")
        else:
            data, what = mutated(victim, files[victim], rng) if rng else (files[victim], "none (the unmutated inputs)")
            with open(os.path.join(work, victim), "wb") as f:
                f.write(data)
        argv = [agl] + argv
        try:
            p = subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout, cwd=work)
            rc, err = p.returncode, p.stderr
        except subprocess.TimeoutExpired:
            rc, err = None, "(timed out)"
        problem = None
        if rc is None:
            problem = "hang"
        elif rc < 0 or rc >= 128 or any(w in err for w in ("Sanitizer", "runtime error:", "Segmentation")):
            problem = "crash"
        elif "terminate called" in err:
            problem = "uncaught"
        elif rc != 0 and "error" not in err.lower():
            problem = "no-message"
        elif rc == 0 and any(has_nonfinite(os.path.join(work, o)) for o in outputs):
            problem = "nonfinite-output"
        named = rc in (0, None) or (os.path.basename(victim) if victim else "--") in err
        if problem and keep:
            dest = os.path.join(keep, f"{index:04d}-{name.replace('/', '_')}-{problem}")
            shutil.copytree(work, dest)
            with open(os.path.join(dest, "CASE.txt"), "w", encoding="utf-8") as f:
                f.write(f"mutation of {victim}: {what}\nrc {rc}\nin the case folder: {' '.join(argv)}\n\n{err}")
        return problem, rc, named, what, err
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--agl", default=os.path.join(ROOT, "build", "agl"))
    ap.add_argument("--cases", type=int, default=400, help="cases in all, spread over the targets")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per case before it counts as a hang")
    ap.add_argument("--keep", default="fuzz-failures", help="folder for failing cases")
    ap.add_argument("--verbose", action="store_true", help="print every case and its last stderr line")
    ap.add_argument("--only", default="", help="run only targets whose name contains this")
    args = ap.parse_args()
    args.agl, args.keep = os.path.abspath(args.agl), os.path.abspath(args.keep)
    rng = random.Random(args.seed)
    chosen = [t for t in targets(args.agl) if args.only in t[0]]
    for name, files, victim, command, outputs in chosen:  # each target must run on its unmutated inputs
        problem, rc, _, _, err = run_case(args.agl, name, files, victim, command, outputs, None, args.timeout, "", 0)
        if problem or rc != 0:
            sys.exit(f"fuzz-inputs: {name} fails without a mutation (rc {rc}): {err.strip()[-500:]}")
    stats = {t[0]: {"cases": 0, "ok": 0, "error": 0, "unnamed": 0, "failed": 0} for t in chosen}
    failures = []
    for index in range(args.cases):
        name, files, victim, command, outputs = chosen[index % len(chosen)]
        problem, rc, named, what, err = run_case(args.agl, name, files, victim, command, outputs, rng, args.timeout,
                                                 args.keep, index)
        s = stats[name]
        if args.verbose:
            last = err.strip().splitlines()[-1] if err.strip() else ""
            print(f"{index:4d} {name}: rc {rc} after {what}: {last[:200]}", flush=True)
        s["cases"] += 1
        if problem:
            s["failed"] += 1
            failures.append(f"{index:4d} {name}: {problem} (rc {rc}) after {what}: {err.strip()[-300:]}")
            print(failures[-1], flush=True)
        elif rc == 0:
            s["ok"] += 1
        else:
            s["error"] += 1
            if not named:
                s["unnamed"] += 1
                print(f"{index:4d} {name}: error without the file's name after {what}: {err.strip()[-200:]}",
                      flush=True)
        if (index + 1) % 50 == 0:
            print(f"... {index + 1}/{args.cases} cases", file=sys.stderr, flush=True)
    print(f"\n{'target':24} {'cases':>6} {'ran':>6} {'error':>6} {'unnamed':>8} {'FAILED':>7}")
    for name, s in stats.items():
        print(f"{name:24} {s['cases']:6d} {s['ok']:6d} {s['error']:6d} {s['unnamed']:8d} {s['failed']:7d}")
    print(f"\n{len(failures)} failing case(s)" + (f", kept in {args.keep}/" if failures else ""))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
