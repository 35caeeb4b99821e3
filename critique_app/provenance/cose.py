"""A manifest's signature read straight from its COSE_Sign1: the signer's certificate chain
(x5chain) and the time stamp's token (sigTst, sigTst2), and from them what a report shows of
the certificates, as the library's crJSON gives them (issue 24: asking the library for its
crJSON only for these took a tenth of a `verify` run).

Anything this code cannot read with certainty (a header it does not know, a name with a
repeated part, a token in another shape) gives None, and the caller asks the library.
"""

from __future__ import annotations

from datetime import timezone
from typing import Any


def _headers(signature: bytes, label: str | None) -> tuple[dict, dict]:
    """The protected and unprotected header maps of manifest `label`'s COSE_Sign1 (empty when
    not maps); ValueError when there is no COSE_Sign1."""
    sign1, _ = _cbor(_cbor_box(signature, label) or signature, 0, 0)
    if not isinstance(sign1, list) or len(sign1) != 4:
        raise ValueError("not a COSE_Sign1")
    protected, unprotected = sign1[0], sign1[1]
    headers = _cbor(protected, 0, 0)[0] if isinstance(protected, bytes) and protected else {}
    return (headers if isinstance(headers, dict) else {},
            unprotected if isinstance(unprotected, dict) else {})  # fmt: skip


def _chain(tables: tuple[dict, dict]) -> list[bytes] | None:
    found = None
    for table in tables:
        found = found or table.get(33) or table.get("x5chain")
    ders = [found] if isinstance(found, bytes) else found
    if not isinstance(ders, list) or not ders or not all(isinstance(d, bytes) for d in ders):
        return None
    return ders


def signer_chain(signature: bytes, label: str | None) -> list[Any] | None:
    """The certificates (signer first) in a COSE_Sign1's x5chain header, or None when the
    signature cannot be read that far (a reading per list then settles it)."""
    from cryptography import x509

    try:
        ders = _chain(_headers(signature, label))
        return [x509.load_der_x509_certificate(d) for d in ders] if ders else None
    except (ValueError, IndexError, TypeError, RecursionError):
        return None


def certificates(store: bytes, label: str) -> dict[str, Any] | None:
    """What the library's crJSON says of manifest `label`'s certificates: the signer's
    (`certificateInfo`) and the time stamp's (`timeStampInfo`), with the parts a report shows
    (names by CN and O); None when this cannot be read here with certainty. The time stamp's
    time is left out: the library gives it only when the token matches the signature, and
    its manifest store JSON gives it then too (`signature_info.time`)."""
    from cryptography import x509

    try:
        tables = _headers(store, label)
        ders = _chain(tables)
        if not ders or any(k in tables[0] for k in _TOKENS):
            return None
        out: dict[str, Any] = {"certificateInfo": _info(x509.load_der_x509_certificate(ders[0]))}
        tokens = [tables[1][k] for k in _TOKENS if k in tables[1]]
        if len(tokens) > 1:
            return None
        if tokens:
            found = tokens[0].get("tstTokens") if isinstance(tokens[0], dict) else None
            if not isinstance(found, list) or len(found) != 1 or not isinstance(found[0], dict):
                return None
            stamp = _time_stamp(found[0].get("val"))
            if stamp is None:
                return None
            out["timeStampInfo"] = stamp
        return out
    except (ValueError, IndexError, TypeError, RecursionError):
        return None


_TOKENS = ("sigTst", "sigTst2")  # the time stamp's header, v1 and v2
_SHORT = {"2.5.4.3": "CN", "2.5.4.10": "O"}  # the parts of a name a report shows


def _name(name: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for attr in name:
        short = _SHORT.get(attr.oid.dotted_string)
        if short is not None:
            if short in out:
                raise ValueError("a repeated part: which one the library keeps is not known")
            out[short] = str(attr.value)
    return out


def _info(cert: Any) -> dict[str, Any]:
    if cert.serial_number < 0:
        raise ValueError("a negative serial number")
    return {
        "serialNumber": format(cert.serial_number, "x"),
        "issuer": _name(cert.issuer),
        "subject": _name(cert.subject),
        "validity": {
            "notBefore": cert.not_valid_before_utc.astimezone(timezone.utc).isoformat(),
            "notAfter": cert.not_valid_after_utc.astimezone(timezone.utc).isoformat(),
        },
    }


def _tlv(data: bytes, pos: int, end: int) -> tuple[int, int, int, int]:
    """One DER item at pos: (tag, its start, its content's start, its end)."""
    if pos + 2 > end:
        raise ValueError("short")
    tag, size, at = data[pos], data[pos + 1], pos + 2
    if tag & 0x1F == 0x1F:
        raise ValueError("a long tag")
    if size & 0x80:
        width = size & 0x7F
        if not 0 < width <= 4:
            raise ValueError("an indefinite or huge length")
        size, at = int.from_bytes(data[at : at + width], "big"), at + width
    if at + size > end:
        raise ValueError("runs past its parent")
    return tag, pos, at, at + size


def _items(data: bytes, start: int, end: int) -> list[tuple[int, int, int, int]]:
    out = []
    while start < end:
        item = _tlv(data, start, end)
        out.append(item)
        start = item[3]
    return out


def _time_stamp(token: Any) -> dict[str, Any] | None:
    """The signer's certificate of an RFC 3161 time-stamp token (CMS SignedData), alone or in
    its response."""
    from cryptography import x509

    if not isinstance(token, bytes):
        return None
    (info,) = _items(token, 0, len(token))  # ContentInfo, or a whole TimeStampResp
    first, *rest = _items(token, info[2], info[3])
    if first[0] == 0x30:  # the response's status, then the token itself
        (info,) = rest[:1]
        first, *rest = _items(token, info[2], info[3])
    if first[0] != 0x06 or len(rest) != 1:
        return None
    content = rest[0]
    (signed,) = _items(token, content[2], content[3])
    parts = _items(token, signed[2], signed[3])
    certs = [x509.load_der_x509_certificate(token[c[1] : c[3]])
             for p in parts[3:] if p[0] == 0xA0 for c in _items(token, p[2], p[3])]  # fmt: skip
    signer_infos = _items(token, parts[-1][2], parts[-1][3])
    if parts[-1][0] != 0x31 or len(signer_infos) != 1:
        return None
    sid = _items(token, signer_infos[0][2], signer_infos[0][3])[1]
    if sid[0] != 0x30:
        return None  # by key identifier: not needed so far
    issuer, serial = _items(token, sid[2], sid[3])
    number = int.from_bytes(token[serial[2] : serial[3]], "big", signed=True)
    found = [c for c in certs if c.serial_number == number
             and c.issuer.public_bytes() == token[issuer[1] : issuer[3]]]  # fmt: skip
    if len(found) != 1:
        return None
    return {"certificateInfo": _info(found[0])}


def _boxes(data: bytes, pos: int, end: int) -> list[tuple[bytes, int, int]]:
    """(type, payload start, payload end) of the ISO boxes between pos and end."""
    out = []
    while pos + 8 <= end:
        size, kind, head = int.from_bytes(data[pos : pos + 4], "big"), data[pos + 4 : pos + 8], 8
        if size == 1:
            size, head = int.from_bytes(data[pos + 8 : pos + 16], "big"), 16
        if size < head or pos + size > end:
            raise ValueError("a box runs past its parent")
        out.append((kind, pos + head, pos + size))
        pos += size
    return out


def _label(data: bytes, start: int, end: int) -> str | None:
    """The label of a JUMBF description box (16-byte type, toggles, then the label)."""
    if end - start < 17 or not data[start + 16] & 0x02:
        return None
    stop = data.find(b"\0", start + 17, end)
    return data[start + 17 : stop if stop >= 0 else end].decode("utf-8", "replace")


def _cbor_box(data: bytes, label: str | None) -> bytes | None:
    """The COSE_Sign1 of manifest `label` in a JUMBF manifest store (the library hands the
    signature over as the whole store), or None when it is not there."""
    if data[4:8] != b"jumb" or not label:
        return None
    size = int.from_bytes(data[0:4], "big")
    level = [(data[4:8], 8, min(len(data), size or len(data)))]
    for step in (label, "c2pa.signature", None):
        _, start, end = level[0]
        children = _boxes(data, start, end)
        if step is None:
            found = [c for c in children if c[0] == b"cbor"]
            return data[found[0][1] : found[0][2]] if found else None
        nxt = []
        for kind, s0, e0 in children:
            if kind != b"jumb":
                continue
            inner = _boxes(data, s0, e0)
            if inner and inner[0][0] == b"jumd" and _label(data, inner[0][1], inner[0][2]) == step:
                nxt.append((kind, s0, e0))
        if len(nxt) != 1:
            return None
        level = nxt
    return None


def _cbor(data: bytes, pos: int, depth: int) -> tuple[Any, int]:
    """One CBOR item (RFC 8949) from `data` at `pos`: enough for a COSE header, bounded."""
    if depth > 16:
        raise ValueError("too deep")
    first = data[pos]
    major, info = first >> 5, first & 31
    pos += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        width = 1 << (info - 24)
        if pos + width > len(data):
            raise ValueError("short")
        arg = int.from_bytes(data[pos : pos + width], "big")
        pos += width
    else:
        raise ValueError("indefinite or reserved length")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major in (2, 3):
        if pos + arg > len(data):
            raise ValueError("short")
        raw = data[pos : pos + arg]
        return (bytes(raw) if major == 2 else raw.decode("utf-8")), pos + arg
    if major in (4, 5):
        if arg > len(data) - pos:
            raise ValueError("too long")
        if major == 4:
            items = []
            for _ in range(arg):
                item, pos = _cbor(data, pos, depth + 1)
                items.append(item)
            return items, pos
        table = {}
        for _ in range(arg):
            key, pos = _cbor(data, pos, depth + 1)
            value, pos = _cbor(data, pos, depth + 1)
            if isinstance(key, (int, str)):
                table[key] = value
        return table, pos
    if major == 6:
        return _cbor(data, pos, depth + 1)  # a tag (COSE_Sign1 is 18): its item
    return None, pos  # simple values and floats: not needed here
