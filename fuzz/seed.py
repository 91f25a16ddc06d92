"""Write a seed corpus for the fuzz targets: every sample in knowledge/*.toml, one file each."""
import pathlib, tomllib

root = pathlib.Path(__file__).resolve().parent.parent
out = root / "fuzz" / "corpus" / "explain"
out.mkdir(parents=True, exist_ok=True)
n = 0
for f in sorted((root / "knowledge").glob("*.toml")):
    kb = tomllib.loads(f.read_text())
    for e in kb.get("error", []):
        for s in e.get("samples", []):
            (out / f"{f.stem}-{n}").write_text(s)
            n += 1
print(f"{n} seeds in {out}")
