"""tifa on Apache Spark: the corpus cut into shards, each shard read, cleaned, segmented and
counted by `tifa analyze --partial` in a Spark task, the n-grams seen once in the whole corpus
left out by `tifa shared-ngrams` in a Spark task per shard (from the shards' n-gram key tables
added up on the driver by `tifa add-tables`), the token and n-gram counts added up by Spark
group-bys, and the report folder written by `tifa merge --sums` (reuse taking which windows two
documents may share from the shards' window tables, added up the same way). With
--two-pass-slogans the slogans are found in two passes as well: `tifa phrases` a Spark task per
range, then rounds of `tifa ask` (driver), `tifa measure` (a task per shard) and `tifa finish`
(driver).

    spark-submit --driver-memory 1g spark/tifa_spark.py --shards 8 INPUT... -o DIR [-- MERGE OPTIONS]

INPUT is a local folder or file, or a URI of any file system Spark reads (hdfs://, s3a://,
file:// ...). A local input is listed here and each task copies its own files (so the path must
be the same on every node: a local run, or a shared mount); the files behind a URI are listed by
Hadoop, read by Spark and handed to the tasks (--spark-reads does that for a local input too).
Each task writes its shard's files under a scratch folder with the relative names one
`tifa analyze INPUT` run gives them (so documents keep their ids); a `metadata.csv` directly
inside an input goes to every shard. The partials and the sums go to --work, a folder the tasks
and the driver both see (any local folder in local mode; a shared mount on a cluster). The report
is written on the driver into -o, or, when -o is a URI, into WORK/report and then copied there.
Options after `--` go to `tifa merge` (analysis options: --min-count, --track, --group-by,
--no-reuse ...); reading options (--metadata, --max-doc-chars, column names) go to every shard
with --shard-args="..." (with =, as its value begins with --).

Spark lists files as Hadoop does: names beginning with `_` or `.` are not read.
"""

import argparse
import json
import re
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from typing import NamedTuple
from urllib.parse import urlparse

from pyspark import SparkConf, SparkFiles
from pyspark.sql import SparkSession
from pyspark.sql import functions as F


def parse_args(argv):
    merge_args = []
    if "--" in argv:
        cut = argv.index("--")
        argv, merge_args = argv[:cut], argv[cut + 1 :]
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="corpus folders or files")
    p.add_argument("-o", "--output", required=True, help="report folder on the driver, or a URI (hdfs://, s3a:// …) it is copied to")
    p.add_argument("--shards", type=int, default=4, help="shards, one Spark task each (default 4)")
    p.add_argument("--master", help="Spark master (default: what spark-submit says, else local[*])")
    p.add_argument("--tifa", default=None, help="the tifa binary shipped to the tasks (default: tifa on PATH)")
    p.add_argument("--work", help="folder for the partials and sums, seen by tasks and driver (default: OUTPUT.work)")
    p.add_argument(
        "--reduce-partitions", type=int, help="partitions of the reduce's group-bys (default: 4 per shard, at least 16)"
    )
    p.add_argument("--keep-work", action="store_true", help="keep the partials and sums")
    p.add_argument("--shard-args", default="", help="options for every `tifa analyze --partial` (reading options)")
    p.add_argument("--spark-reads", action="store_true", help="read local input files through Spark too, as other file systems are")
    p.add_argument("--data", help="tifa's --data folder, for every shard and the merge (a path all nodes see)")
    p.add_argument(
        "--two-pass-slogans",
        action="store_true",
        help="find the slogans in two passes, in Spark tasks (phrases by range, measures by shard), "
        "so that the report step decides them without indexing the whole corpus",
    )
    args = p.parse_args(argv)
    if args.shards < 1:
        p.error("--shards must be at least 1")
    if args.two_pass_slogans and any(a == "--explain" or a.startswith("--explain=") for a in merge_args):
        p.error("--explain needs an index of the whole corpus; leave out --two-pass-slogans")
    args.merge_args = merge_args
    return args


def tifa_binary(given):
    path = given or shutil.which("tifa")
    if not path or not os.path.isfile(path):
        sys.exit(f"tifa_spark: no tifa binary ({given or 'tifa on PATH'}); build it with cargo build --release and give --tifa")
    return os.path.abspath(path)


def list_files(spark, root, local):
    """Every file under `root` as (URI, size), recursively, as Hadoop lists it."""
    jvm = spark.sparkContext._jvm
    if local:
        # a local folder (given as a path) is listed here: a call into the JVM per file costs
        # seconds; a URI (file://, hdfs://, s3a:// …) is listed by Hadoop
        local = urlparse(root).path
        if os.path.isfile(local):
            return [(root, os.path.getsize(local))], True
        if not os.path.isdir(local):
            sys.exit(f"tifa_spark: no such input: {root}")
        found = []
        for folder, dirs, names in os.walk(local):
            dirs.sort()
            for n in sorted(names):
                path = os.path.join(folder, n)
                if os.path.isfile(path):
                    found.append(("file:" + path, os.path.getsize(path)))
        return found, False
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    path = jvm.org.apache.hadoop.fs.Path(root)
    fs = path.getFileSystem(conf)
    if not fs.exists(path):
        sys.exit(f"tifa_spark: no such input: {root}")
    status = fs.getFileStatus(path)
    if status.isFile():
        return [(status.getPath().toString(), status.getLen())], True
    found = []
    it = fs.listFiles(path, True)
    while it.hasNext():
        f = it.next()
        found.append((f.getPath().toString(), f.getLen()))
    return found, False


def key(uri):
    """A file's URI as one key, whichever way Spark spells it (file:/x and file:///x)."""
    u = urlparse(uri)
    return (u.scheme or "file", u.netloc, os.path.normpath(u.path))


def spark_path(spark, uri):
    """`uri` qualified as Hadoop spells it (file:/x/y for a local path)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).makeQualified(path).toString()


def plan(spark, inputs, shards):
    """Each file's URI, relative name (as one tifa run names it) and shard; the metadata tables
    (URI, relative name); and each input as given, by its name."""
    files, metadata, given = [], [], {}
    for g in inputs:
        root = spark_path(spark, g if urlparse(g).scheme else os.path.abspath(g))
        base = os.path.basename(os.path.normpath(urlparse(root).path))
        if base in given:
            sys.exit(f"tifa_spark: two inputs are named {base}; give inputs with different names")
        given[base] = (root, g.rstrip("/"))
        found, single = list_files(spark, root, not urlparse(g).scheme)
        top = os.path.normpath(urlparse(root).path)
        for uri, size in found:
            if single:
                files.append((base, uri, size))
                continue
            rel = base + "/" + os.path.relpath(os.path.normpath(urlparse(uri).path), top).replace(os.sep, "/")
            if any(part.startswith((".", "_")) for part in rel.split("/")[1:]):
                continue
            if rel == base + "/metadata.csv":
                metadata.append((uri, rel))
            else:
                files.append((rel, uri, size))
    files.sort()
    cuts = cut([size for _, _, size in files], shards)
    return [(uri, rel, shard, size) for (rel, uri, size), shard in zip(files, cuts)], metadata, given


def cut(sizes, shards):
    """The shard of each file (in name order): contiguous runs of about equal size, each file
    in the shard where its first byte falls as far as two rules allow: no shard is skipped, and
    every shard is given a file when there are enough."""
    total = sum(sizes) or 1
    out, at, last = [], 0, 0
    for i, size in enumerate(sizes):
        by_size = min(shards - 1, at * shards // total)
        # no shard skipped, and enough files left for the shards after this one
        shard = min(max(min(by_size, last + 1), shards - (len(sizes) - i), last), shards - 1)
        out.append(shard)
        at, last = at + size, shard
    return out


# marks a failed shard's message inside Spark's error
FAILED = "<<tifa shard failed>>"


class Task(NamedTuple):
    """What every map task is given."""

    tifa_name: str  # the binary, as shipped with SparkContext.addFile
    work: str
    shard_args: str
    data: str
    metadata: list  # (relative name, bytes) of each input's metadata.csv
    given: dict  # each input's name: (URI, as given)
    empty: dict  # shard: relative names of its files of no bytes
    threads: int  # threads of each tifa process: the cores a Spark task holds
    shards: int  # shards of the corpus, which size each partial's n-gram key table


def shard_failed(index, what, done):
    """The error of a shard whose `what` (a finished subprocess `done`) failed: its own message,
    marked so that it can be told from Spark's."""
    return RuntimeError(f"{FAILED}shard {index}: {what} failed ({done.returncode}): {done.stderr.strip()}{FAILED}")


def run_shard(index, rows, task):
    """A Spark task: write the shard's files under a scratch folder and run tifa --partial.
    `rows`: (shard, (relative name, bytes or a local path to copy)); `empty`: the shard's files
    of no bytes, which Spark's file reader never hands over."""
    rows = list(rows) + [(index, (rel, b"")) for rel in task.empty.get(index, [])]
    if not rows:
        return
    tifa = SparkFiles.get(task.tifa_name)
    work, given = task.work, task.given
    os.chmod(tifa, os.stat(tifa).st_mode | stat.S_IXUSR)
    part = os.path.join(work, f"part-{index:05d}")
    with tempfile.TemporaryDirectory(prefix="tifa-shard-") as scratch:
        tops = set()
        for _, (rel, content) in rows:
            target = os.path.join(scratch, *rel.split("/"))
            os.makedirs(os.path.dirname(target), exist_ok=True)
            if isinstance(content, str):
                shutil.copyfile(content, target)
            else:
                with open(target, "wb") as f:
                    f.write(content)
            tops.add(rel.split("/")[0])
        for rel, content in task.metadata:
            if rel.split("/")[0] in tops:
                with open(os.path.join(scratch, *rel.split("/")), "wb") as f:
                    f.write(content)
        inputs = [os.path.join(scratch, t) for t in sorted(tops)]
        cmd = [tifa, "analyze", *inputs, "--partial", part, "--force", "-q", "--threads", str(task.threads)]
        cmd += ["--shards", str(task.shards)]
        if task.data:
            cmd += ["--data", task.data]
        cmd += shlex.split(task.shard_args)
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode not in (0, 1):
            raise shard_failed(index, "tifa analyze --partial", done)
        # files that could not be read are named as the user named them, not by the scratch folder
        run_json = os.path.join(part, "run.json")
        with open(run_json, encoding="utf-8") as f:
            run = json.load(f)
        for s in run.get("skipped", []):
            for top in tops:
                prefix = os.path.join(scratch, top)
                if s["path"].startswith(prefix):
                    s["path"] = given[top][1] + s["path"][len(prefix) :]
        with open(run_json + ".tmp", "w", encoding="utf-8") as f:
            json.dump(run, f, ensure_ascii=False, indent=2)
        os.replace(run_json + ".tmp", run_json)
    yield (index, part, len(rows))


def add_tables(tifa, parts, name, out):
    """The tables `name` of every partial of `parts` (of n-gram keys or of reuse's windows; see
    src/keybits.rs) added up by `tifa add-tables` into `out`, on the driver."""
    done = subprocess.run([tifa, "add-tables", *[os.path.join(p, name) for p in parts], "-o", out], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{FAILED}tifa add-tables failed ({done.returncode}): {done.stderr.strip()}{FAILED}")
    return out


def run_shared(index, part, tifa_name, keys, out):
    """A Spark task: the rows of a partial's n-grams that the reduce must add up."""
    tifa = SparkFiles.get(tifa_name)
    os.chmod(tifa, os.stat(tifa).st_mode | stat.S_IXUSR)
    done = subprocess.run([tifa, "shared-ngrams", part, "--keys", keys, "-o", out, "--force", "-q"], capture_output=True, text=True)
    if done.returncode != 0:
        raise shard_failed(index, "tifa shared-ngrams", done)
    return index, out


def run_tool(index, tifa_name, args, what):
    """A Spark task: `tifa ARGS` (a step of slogans in two passes) for item `index`."""
    tifa = SparkFiles.get(tifa_name)
    os.chmod(tifa, os.stat(tifa).st_mode | stat.S_IXUSR)
    done = subprocess.run([tifa, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise shard_failed(index, what, done)
    return index


def on_driver(tifa, args, what):
    """`tifa ARGS` on the driver; its own message when it fails."""
    done = subprocess.run([tifa, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{FAILED}{what} failed ({done.returncode}): {done.stderr.strip()}{FAILED}")


def slogan_args(merge_args, data):
    """The options of `tifa merge` the slogan decisions read, for `tifa ask`."""
    p = argparse.ArgumentParser(add_help=False)
    for name in ("--min-count", "--min-docs", "--max-phrases", "--max-set-phrases", "--track"):
        p.add_argument(name)
    known = vars(p.parse_known_args(merge_args)[0])
    out = [f"--{k.replace('_', '-')}={v}" for k, v in known.items() if v is not None]
    return out + (["--data", data] if data else [])


def two_pass_slogans(sc, tifa, tifa_name, parts, work, merge_args, data):
    """Slogans in two passes: the whole corpus's phrases found a range of first characters at a
    time (`tifa phrases`, a Spark task per range), then rounds of `tifa ask` on the driver (which
    strings the decisions still need measured), `tifa measure` (a Spark task per shard) and
    `tifa finish` (on the driver), until the measures hold every answer. Returns the phrase and
    finished folders for `tifa merge --phrases … --finished …`."""
    ranges = len(parts)
    folder = os.path.join(work, "slogans")
    phrases = [os.path.join(folder, f"phrases-{k:05d}") for k in range(ranges)]
    min_docs = argparse.ArgumentParser(add_help=False)
    min_docs.add_argument("--min-docs", default="2")
    md = min_docs.parse_known_args(merge_args)[0].min_docs
    tasks = [(k, ["phrases", *parts, "--range", str(k), "--ranges", str(ranges), "--min-docs", md, "-o", out, "--force", "-q"]) for k, out in enumerate(phrases)]
    sc.parallelize(tasks, len(tasks)).map(lambda t: run_tool(t[0], tifa_name, t[1], "tifa phrases")).collect()
    say(f"phrases found in {ranges} ranges")
    finished = []
    ask = slogan_args(merge_args, data)
    while True:
        asked = os.path.join(folder, f"asked-{len(finished) + 1}.txt")
        fin = ["--finished", *finished] if finished else []
        on_driver(tifa, ["ask", *parts, "--phrases", *phrases, *fin, "-o", asked, "-q", *ask], "tifa ask")
        # the merge reads the totals of one round at least, even of nothing measured
        if os.path.getsize(asked) == 0 and finished:
            return phrases, finished
        round_ = len(finished) + 1
        measured = [os.path.join(folder, f"measured-{round_}", f"part-{i:05d}") for i in range(len(parts))]
        tasks = [(i, ["measure", p, "--strings", asked, "-o", m, "--force", "-q"]) for i, (p, m) in enumerate(zip(parts, measured))]
        sc.parallelize(tasks, len(tasks)).map(lambda t: run_tool(t[0], tifa_name, t[1], "tifa measure")).collect()
        out = os.path.join(folder, f"finished-{round_}")
        on_driver(tifa, ["finish", *measured, "-o", out, "--force", "-q"], "tifa finish")
        finished.append(out)
        say(f"slogans: round {round_} measured")


class Background(threading.Thread):
    """`work()` on a thread of its own, while Spark works; `result()` waits for its value and
    raises again what went wrong."""

    def __init__(self, work):
        super().__init__()
        self.work, self.value, self.failed = work, None, None
        self.start()

    def run(self):
        try:
            self.value = self.work()
        except Exception as e:  # raised again on the main thread
            self.failed = e

    def result(self):
        self.join()
        if self.failed:
            raise self.failed
        return self.value


def sum_tokens(spark, parts, sums):
    """The partials' token counts added up by Spark into SUMS/tokens.parquet."""
    tokens = spark.read.parquet(*[os.path.join(p, "tokens.parquet") for p in parts])
    tokens.groupBy("token").agg(
        F.sum("count").alias("count"), F.sum("doc_count").alias("doc_count"), F.max("stopword").alias("stopword")
    ).write.parquet(os.path.join(sums, "tokens.parquet"))


def upload(spark, local, uri):
    """Copy the report folder `local` into `uri` file by file (overwriting, as tifa does), by
    Hadoop's file system API; returns the number of files."""
    jvm = spark.sparkContext._jvm
    Path = jvm.org.apache.hadoop.fs.Path
    fs = Path(uri).getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    copied = 0
    for folder, _, names in os.walk(local):
        for n in sorted(names):
            src = os.path.join(folder, n)
            rel = os.path.relpath(src, local).replace(os.sep, "/")
            fs.copyFromLocalFile(False, True, Path("file://" + src), Path(uri.rstrip("/") + "/" + rel))
            copied += 1
    return copied


STARTED = time.monotonic()


def say(what):
    print(f"tifa_spark: {what} ({time.monotonic() - STARTED:.1f} s)", file=sys.stderr)


def min_count(merge_args):
    """The --min-count given to tifa merge (its default 2): n-grams below it are not reported."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--min-count", type=int, default=2)
    return p.parse_known_args(merge_args)[0].min_count


def main(argv):
    args = parse_args(argv)
    tifa = tifa_binary(args.tifa)
    # a URI (hdfs://, s3a://, file:// …) is written by Hadoop from a report made on the driver
    remote = bool(urlparse(args.output).scheme)
    if remote and not args.work:
        sys.exit("tifa_spark: an output URI needs --work, a local folder for the partials and the report")
    output = os.path.abspath(args.output) if not remote else None
    work = os.path.abspath(args.work or output.rstrip("/") + ".work")
    if remote:
        output = os.path.join(work, "report")
    partitions = args.reduce_partitions or max(16, 4 * args.shards)
    conf = SparkConf().setAppName("tifa").set("spark.log.level", "WARN")
    if args.master:
        conf.setMaster(args.master)
    elif not conf.contains("spark.master"):
        conf.setMaster("local[*]")
    spark = (
        SparkSession.builder.config(conf=conf)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions))
        .config("spark.sql.files.ignoreCorruptFiles", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    sc = spark.sparkContext
    sc.addFile(tifa)
    tifa_name = os.path.basename(tifa)

    # map: the shards, one task each
    say("Spark started")
    planned, metadata_uris, given = plan(spark, args.inputs, args.shards)
    say(f"{len(planned)} files listed")
    assigned = [(uri, rel, shard) for uri, rel, shard, _ in planned]
    sizes = {uri: size for uri, _, _, size in planned}
    if not assigned:
        sys.exit("tifa_spark: no files in the inputs")
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    metadata = [(rel, bytes(spark.read.format("binaryFile").load(uri).first().content)) for uri, rel in metadata_uris]
    where = sc.broadcast({key(uri): (shard, rel) for uri, rel, shard in assigned})
    empty = {}
    for uri, rel, shard in assigned:
        if sizes[uri] == 0:
            empty.setdefault(shard, []).append(rel)
    roots = [r for r, _ in given.values()]
    if not args.spark_reads and all(urlparse(r).scheme == "file" for r in roots):
        # local files (a local run, or a mount every node has): each task copies its own
        by_shard = [(shard, (rel, urlparse(uri).path)) for uri, rel, shard in assigned if sizes[uri] > 0]
        files = sc.parallelize(by_shard, args.shards)
    else:
        # each input read whole by Spark (one listing), keeping the planned files
        read = spark.read.format("binaryFile").option("recursiveFileLookup", "true").load(roots)

        def keyed(r):
            at = where.value.get(key(r.path))
            return [] if at is None else [(at[0], (at[1], bytes(r.content)))]

        files = read.select("path", "content").rdd.flatMap(keyed)

    threads = int(sc.getConf().get("spark.task.cpus", "1"))
    task = Task(tifa_name, work, args.shard_args, args.data, metadata, given, empty, threads, args.shards)
    sums = os.path.join(work, "sums")
    try:
        done = files.partitionBy(args.shards, lambda k: k).mapPartitionsWithIndex(lambda i, rows: run_shard(i, rows, task)).collect()
        parts = [p for _, p, _ in sorted(done)]
        say(f"{len(assigned)} files in {len(parts)} shards, read and counted")

        # reduce: token and n-gram counts added up by Spark; the tokens on a thread of their own
        # while the shards leave out their n-grams seen once
        tokens = Background(lambda: sum_tokens(spark, parts, sums))
        # the shards' reuse window tables added up meanwhile, unless they wrote none (--no-reuse)
        windows = None
        if all(os.path.exists(os.path.join(p, "reuse_windows.bits")) for p in parts):
            windows = Background(lambda: add_tables(tifa, parts, "reuse_windows.bits", os.path.join(work, "reuse_windows.bits")))
        ngram_files = [os.path.join(p, "ngrams.parquet") for p in parts]
        words = []  # where tifa merge takes the summed n-grams' words from: the partials by default
        least = min_count(args.merge_args)
        if least >= 2:
            # the shards' key tables added up (on the driver, which reads the partials' folder
            # as the report step does), then each shard keeps the rows another may also have
            keys = add_tables(tifa, parts, "ngram_keys.bits", os.path.join(work, "ngram_keys.bits"))
            shared = [(i, p, os.path.join(work, "shared", f"part-{i:05d}")) for i, p in enumerate(parts)]
            kept = sc.parallelize(shared, len(shared)).map(lambda s: run_shared(s[0], s[1], tifa_name, keys, s[2])).collect()
            words = [out for _, out in sorted(kept)]
            ngram_files = [os.path.join(out, "ngrams.parquet") for out in words]
            say("n-grams seen once left out")
        ngrams = spark.read.parquet(*ngram_files)
        # summed by key, a 64-bit hash of the words, never by the words themselves: only the n-grams
        # the report keeps go to the driver, as (key, count, doc_count), and tifa merge takes their
        # words back from the rows kept, or the partials (telling apart n-grams that share a key,
        # should two ever do)
        # hashed into partitions by key first: each partial's rows are distinct already, so adding
        # them up before the shuffle (what a plain group-by does) only costs time
        ngrams.select("key", "count", "doc_count").repartition(partitions, "key").groupBy("key").agg(
            F.sum("count").alias("count"), F.sum("doc_count").alias("doc_count")
        ).where(F.col("count") >= least).write.parquet(os.path.join(sums, "ngrams.parquet"))
        tokens.result()
        windows = windows.result() if windows else None
        slogans = None
        if args.two_pass_slogans:
            slogans = two_pass_slogans(sc, tifa, tifa_name, parts, work, args.merge_args, args.data)
    except Exception as e:
        # a shard's tifa failed: its own message, not Spark's stack traces
        said = re.search(f"{FAILED}(.*?){FAILED}", str(e), re.S)
        if not said:
            raise
        print(f"tifa_spark: {said.group(1)}", file=sys.stderr)
        spark.stop()
        return 2
    if not remote:
        # the JVM's memory is given back before the report step
        spark.stop()
    say("token and n-gram counts added up")

    # the report folder, written by tifa on the driver
    cmd = [tifa, "merge", *parts, "--sums", sums, "-o", output]
    if words:
        cmd += ["--words", *words]
    if windows:
        cmd += ["--windows", windows]
    if slogans:
        cmd += ["--phrases", *slogans[0], "--finished", *slogans[1]]
    if args.data:
        cmd += ["--data", args.data]
    cmd += args.merge_args
    code = subprocess.run(cmd).returncode
    say("report written" if code in (0, 1) else f"tifa merge failed ({code})")
    if remote:
        if code in (0, 1):
            copied = upload(spark, output, args.output)
            say(f"{copied} files copied to {args.output}")
        spark.stop()
    if code in (0, 1) and not args.keep_work:
        shutil.rmtree(work, ignore_errors=True)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
