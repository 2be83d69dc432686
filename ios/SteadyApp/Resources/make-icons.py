#!/usr/bin/env python3
"""Draws Steady's two iOS app icons (1024x1024, opaque, full-bleed: iOS
applies the rounded mask) from the same shapes as the Android vector
drawables (android/app/src/main/res/drawable/ic_steady.xml, ic_neutral.xml),
and writes them into the asset catalogue with their Contents.json.

    python3 ios/SteadyApp/Resources/make-icons.py          # write
    python3 ios/SteadyApp/Resources/make-icons.py --check  # verify only

Standard library only (zlib): the shapes are rectangles, so no drawing
library is needed. --check fails when a catalogue names a missing file, a
file is not a 1024x1024 opaque PNG, or a file differs from what this script
draws."""
import json
import struct
import sys
import zlib
from pathlib import Path

SIZE = 1024
SCALE = SIZE // 48  # the Android drawables use a 48-unit viewport
HERE = Path(__file__).resolve().parent / "Assets.xcassets"


def rgb(hex_colour):
    return bytes(int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))


def draw(background, rects):
    """Rows of RGB bytes: the background, then each (x, y, w, h, colour) in
    48-unit coordinates, centred (a 48-unit icon scaled to 1024 leaves 16 px)."""
    offset = (SIZE - 48 * SCALE) // 2
    rows = [bytearray(background * SIZE) for _ in range(SIZE)]
    for x, y, w, h, colour in rects:
        x0, x1 = offset + x * SCALE, offset + (x + w) * SCALE
        for row in rows[offset + y * SCALE: offset + (y + h) * SCALE]:
            row[3 * x0: 3 * x1] = colour * (x1 - x0)
    return rows


def png(rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    header = struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0)  # 8-bit RGB, no alpha
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


ICONS = {
    # A level white line on Steady's green.
    "AppIcon": draw(rgb("#2F6F62"), [(12, 23, 24, 3, rgb("#FFFFFF"))]),
    # A plain notepad: gives nothing away on a phone others may see.
    "NeutralIcon": draw(rgb("#F2C94C"), [(15, 14, 18, 2, rgb("#8A6D1F")),
                                          (15, 20, 18, 2, rgb("#8A6D1F")),
                                          (15, 26, 12, 2, rgb("#8A6D1F"))]),
}


def contents(name):
    return {
        "images": [{"filename": f"{name}.png", "idiom": "universal",
                    "platform": "ios", "size": "1024x1024"}],
        "info": {"author": "xcode", "version": 1},
    }


def check():
    problems = []
    for name, rows in ICONS.items():
        folder = HERE / f"{name}.appiconset"
        listed = json.loads((folder / "Contents.json").read_text())["images"]
        for image in listed:
            path = folder / image.get("filename", "")
            if not image.get("filename") or not path.is_file():
                problems.append(f"{folder.name}: names {image.get('filename')!r}, which is missing")
                continue
            data = path.read_bytes()
            width, height, depth, colour = struct.unpack(">IIBB", data[16:26])
            if data[:8] != b"\x89PNG\r\n\x1a\n" or (width, height) != (SIZE, SIZE):
                problems.append(f"{path.name}: not a {SIZE}x{SIZE} PNG")
            elif (depth, colour) != (8, 2):
                problems.append(f"{path.name}: must be opaque 8-bit RGB (App Store rule)")
            elif data != png(rows):
                problems.append(f"{path.name}: differs from what make-icons.py draws")
    for problem in problems:
        print(f"icons: {problem}")
    print(f"icons: {len(ICONS)} app icons checked, {len(problems)} problems")
    return not problems


def main():
    if "--check" in sys.argv:
        sys.exit(0 if check() else 1)
    for name, rows in ICONS.items():
        folder = HERE / f"{name}.appiconset"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{name}.png").write_bytes(png(rows))
        (folder / "Contents.json").write_text(json.dumps(contents(name), indent=2) + "\n")
    print(f"wrote {', '.join(ICONS)} into {HERE}")


if __name__ == "__main__":
    main()
