#!/usr/bin/env python3
"""Decodes QR codes with an independent reader, zxing-cpp (via Pillow), so that Gatehouse's
own QR encoder (Sources/GatehouseMFA/QR) is checked by software that shares none of its code.

    decode_qr.py IMAGE.png [IMAGE.png ...]

Prints one JSON object per image, one per line, in the order given:
    {"file": ..., "text": ..., "bytes": "<hex>", "version": 7, "ec_level": "M", "mask": 3}
Exits non-zero with a message on stderr when an image holds no readable QR code.
"""
import json
import sys

import zxingcpp
from PIL import Image


def decode(path):
    with Image.open(path) as image:
        image.load()
        results = zxingcpp.read_barcodes(
            image.convert("L"),
            formats=zxingcpp.BarcodeFormat.QRCode,
            try_rotate=False,
            try_downscale=False,
            try_invert=False,
        )
    if len(results) != 1:
        raise SystemExit(f"decode_qr: {path}: expected one QR code, found {len(results)}")
    result = results[0]
    extra = result.extra or {}
    return {
        "file": path,
        "text": result.text,
        "bytes": bytes(result.bytes).hex(),
        "version": int(extra.get("Version", 0)),
        "ec_level": extra.get("ECLevel", result.ec_level),
        "mask": extra.get("DataMask"),
    }


def main(paths):
    if not paths:
        raise SystemExit(__doc__)
    for path in paths:
        print(json.dumps(decode(path), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
