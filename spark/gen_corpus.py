"""A generated corpus with the awkward cases of sharding, for checking a sharded run against one run.

    python spark/gen_corpus.py OUT [--files 40] [--seed 1]

Sentences are drawn from data/sample; on top of that the corpus has: several speeches per file
(篇1, 篇2), files in sub-folders, a file in GBK, whole lines copied into other files, whole
documents copied into other files (so copies cross shards), a file of one line without a final
newline, an empty file, a file that cannot be read (a broken .docx, reported as skipped), a
metadata.csv joined to some files, and dates in the file names (for trends).
"""

import argparse
import random
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def pool():
    sentences = []
    for f in sorted((REPO / "data" / "sample").glob("*.txt")):
        text = f.read_text(encoding="utf-8")
        sentences += [s.strip() + "。" for s in text.split("。") if len(s.strip()) > 8]
    return sorted(set(sentences))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path)
    p.add_argument("--files", type=int, default=40)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    rng = random.Random(a.seed)
    sentences = pool()
    a.out.mkdir(parents=True, exist_ok=True)
    texts = {}
    for f in range(a.files):
        docs = []
        for d in range(1 + rng.randrange(3)):
            lines = [f"关于主题教育的第{f * 3 + d + 1}篇交流发言", "同志们："]
            for _ in range(2 + rng.randrange(6)):
                lines.append("".join(rng.choice(sentences) for _ in range(1 + rng.randrange(5))))
            docs.append(lines)
        # a line copied from an earlier file, whole
        if texts and rng.randrange(3) == 0:
            earlier = rng.choice(sorted(texts))
            docs[-1].append(rng.choice(texts[earlier].split("\n")[1:] or ["空"]))
        # a whole earlier document copied
        if texts and rng.randrange(6) == 0:
            earlier = texts[rng.choice(sorted(texts))]
            docs.append(earlier.split("篇")[-1].split("\n", 1)[-1].strip("\n").split("\n"))
        body = "\n".join(f"篇{k + 1}\n" + "\n".join(lines) for k, lines in enumerate(docs)) if len(docs) > 1 else "\n".join(docs[0])
        folder = a.out / ("province" if f % 4 == 0 else "") / ("county" if f % 8 == 0 else "")
        folder.mkdir(parents=True, exist_ok=True)
        name = folder / f"{2019 + f % 5}-{1 + f % 12:02d}-{1 + f % 28:02d}_{f:03d}.txt"
        texts[name] = body
        if f == 3:
            name.write_bytes(body.encode("gbk"))
        elif f == 5:
            name.write_text(body.replace("\n", "").rstrip("。"), encoding="utf-8")
        else:
            name.write_text(body + "\n", encoding="utf-8")
    (a.out / "empty.txt").write_text("", encoding="utf-8")
    (a.out / "broken.docx").write_bytes(b"PK\x03\x04 not really a zip")
    rows = ["file,province"] + [f"{p.name},{'山东' if i % 2 else '河南'}" for i, p in enumerate(sorted(texts)[:10])]
    (a.out / "metadata.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
