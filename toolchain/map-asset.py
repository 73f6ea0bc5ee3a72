#!/usr/bin/env python3
"""Builds assets/germany.geo from Natural Earth (public domain) as packaged in the
npm package world-atlas (TopoJSON, 1:10m countries).

    toolchain/map-asset.py [--topojson countries-10m.json] [-o assets/germany.geo]

Without --topojson it fetches world-atlas@2.0.2 with `npm pack` into a temporary
folder. Output: Germany's outline (kind "focus") and the parts of its neighbours near
it (kind "context"), simplified with Douglas-Peucker, as plain text that
`litfassctl build` reads into the content database.
"""
import argparse, json, math, os, subprocess, sys, tempfile, tarfile

FOCUS = "276"  # ISO 3166 numeric: Germany
# neighbours drawn for context (ISO numeric -> name)
CONTEXT = {"040": "AT", "056": "BE", "203": "CZ", "208": "DK", "250": "FR", "442": "LU",
           "528": "NL", "616": "PL", "756": "CH", "438": "LI"}
BBOX = (2.5, 45.3, 18.5, 56.6)  # lon/lat window kept for context rings
TOL_FOCUS = 0.008   # degrees (~0.6-0.9 km)
TOL_CONTEXT = 0.02


def fetch():
    d = tempfile.mkdtemp()
    subprocess.run(["npm", "pack", "--silent", "world-atlas@2.0.2"], cwd=d, check=True,
                   stdout=subprocess.DEVNULL)
    with tarfile.open(os.path.join(d, "world-atlas-2.0.2.tgz")) as t:
        t.extract("package/countries-10m.json", d)
    return os.path.join(d, "package/countries-10m.json")


def decode_arcs(topo):
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    out = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def ring(arcs, idx):
    pts = []
    for i in idx:
        a = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        pts.extend(a if not pts else a[1:])
    return pts


def dp(pts, tol):
    """Douglas-Peucker on a closed ring (first == last kept)."""
    if len(pts) < 4:
        return pts
    keep = [False] * len(pts)
    keep[0] = keep[-1] = True
    # split a closed ring at its farthest point from the start
    far = max(range(len(pts)), key=lambda i: (pts[i][0] - pts[0][0]) ** 2 + (pts[i][1] - pts[0][1]) ** 2)
    keep[far] = True
    stack = [(0, far), (far, len(pts) - 1)]
    while stack:
        a, b = stack.pop()
        if b <= a + 1:
            continue
        (x1, y1), (x2, y2) = pts[a], pts[b]
        dx, dy = x2 - x1, y2 - y1
        n = math.hypot(dx, dy) or 1e-12
        best, bi = -1, -1
        for i in range(a + 1, b):
            d = abs(dy * (pts[i][0] - x1) - dx * (pts[i][1] - y1)) / n
            if d > best:
                best, bi = d, i
        if best > tol:
            keep[bi] = True
            stack += [(a, bi), (bi, b)]
    return [p for p, k in zip(pts, keep) if k]


def clip_window(pts):
    return any(BBOX[0] <= x <= BBOX[2] and BBOX[1] <= y <= BBOX[3] for x, y in pts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--topojson")
    ap.add_argument("-o", "--output", default=os.path.join(os.path.dirname(__file__), "..", "assets", "germany.geo"))
    args = ap.parse_args()
    topo = json.load(open(args.topojson or fetch()))
    arcs = decode_arcs(topo)
    rings = []
    for g in topo["objects"]["countries"]["geometries"]:
        gid = str(g.get("id"))
        if gid != FOCUS and gid not in CONTEXT:
            continue
        polys = g["arcs"] if g["type"] == "MultiPolygon" else [g["arcs"]]
        for poly in polys:
            for k, r in enumerate(poly):
                pts = ring(arcs, r)
                if gid == FOCUS:
                    s = dp(pts, TOL_FOCUS)
                    if len(s) >= 4:
                        rings.append(("focus", "DE", s))
                elif clip_window(pts):
                    s = dp(pts, TOL_CONTEXT)
                    if len(s) >= 4:
                        rings.append(("context", CONTEXT[gid], s))
    fx = [p for k, _, r in rings if k == "focus" for p in r]
    lon0, lat0 = min(p[0] for p in fx), min(p[1] for p in fx)
    lon1, lat1 = max(p[0] for p in fx), max(p[1] for p in fx)
    with open(args.output, "w") as f:
        f.write("# Litfass map geometry: Germany and the parts of its neighbours near it.\n")
        f.write("# Source: Natural Earth 1:10m admin-0 countries (public domain), via the npm\n")
        f.write("# package world-atlas 2.0.2; simplified by toolchain/map-asset.py\n")
        f.write("# (Douglas-Peucker, %.3f deg for Germany, %.3f deg for neighbours).\n" % (TOL_FOCUS, TOL_CONTEXT))
        f.write("region %.4f %.4f %.4f %.4f\n" % (lon0, lat0, lon1, lat1))
        for kind, name, r in rings:
            f.write("ring %s %s %d\n" % (kind, name, len(r)))
            for x, y in r:
                f.write("%.4f %.4f\n" % (x, y))
    n = sum(len(r) for _, _, r in rings)
    print("wrote %s: %d rings, %d points" % (args.output, len(rings), n), file=sys.stderr)


if __name__ == "__main__":
    main()
