"""Label Studio: a JSON export of text tasks read as labels, and a layer written as tasks Label Studio imports.

The layout, the labelling configuration to paste into a project and the offset rules are in
docs/label-studio.md. In short: a task holds the article in ``data.text``; each region of a
``labels`` result labelled ``Quote`` (or ``Direct``/``Indirect``/``Mixed``), ``Cue`` or ``Speaker``
is a span; a ``relation`` between a quote and a speaker or a cue, in either direction, links them
(a speaker linked only to a quote's cue is that quote's speaker); per-region ``choices`` and
``textarea`` results (by their ``from_name``) carry the quote type, the speaker's kind, name and
aliases, the role, role category and via.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any

import regex

from annotator.formats.errors import InputError
from annotator.formats.guards import bom_encoding, decode, id_text, parse_json, parse_json_at
from annotator.formats.inputs import Item, excerpt, read_bytes
from annotator.model import (
    QUOTE_TYPES,
    SPEAKER_KINDS,
    AnnotatedDocument,
    Document,
    Owner,
    Quote,
    Span,
    Speaker,
    guess_type,
    quote_order,
)
from annotator.text import OffsetMap, normalise, sha256

# The per-region controls of the labelling configuration, by ``from_name``.
LABELS_NAME, TEXT_NAME, TYPE_NAME, KIND_NAME = "label", "text", "type", "kind"
SAID_BY, CUE_OF = "said by", "cue of"
NO_ANNOTATOR = "label-studio"  # whose labels an annotation without ``completed_by`` is


@dataclass(frozen=True)
class LabelNames:
    """The project's names for our labels (``--ls-labels Quote=Zitat,…``) and the data key of the text."""

    quote: str = "Quote"
    speaker: str = "Speaker"
    cue: str = "Cue"
    direct: str = "Direct"
    indirect: str = "Indirect"
    mixed: str = "Mixed"
    text: str = "text"

    @classmethod
    def parse(cls, spec: str) -> LabelNames:
        """``Quote=Zitat,Speaker=Sprecher``: each of our names (any case) given the project's; ValueError
        says what is wrong."""
        known = {f.name: f.name for f in fields(cls)}
        given: dict[str, str] = {}
        for piece in spec.split(","):
            ours, sep, theirs = (part.strip() for part in piece.partition("="))
            if not sep or not theirs or ours.casefold() not in known:
                raise ValueError(
                    f"{piece.strip()!r} is not NAME=LABEL with NAME one of "
                    f"{', '.join(f.name.capitalize() for f in fields(cls))}"
                )
            given[known[ours.casefold()]] = theirs
        return cls(**given)

    def part(self, label: str) -> tuple[str, str | None] | None:
        """What a region label marks: ("quote", type or None), ("cue", None), ("speaker", None), or None."""
        folded = label.casefold()
        if folded == self.quote.casefold():
            return "quote", None
        for qtype, name in zip(QUOTE_TYPES, (self.direct, self.indirect, self.mixed), strict=True):
            if folded == name.casefold():
                return "quote", qtype
        if folded == self.cue.casefold():
            return "cue", None
        if folded == self.speaker.casefold():
            return "speaker", None
        return None

    def quote_type(self, choices: list[Any]) -> str | None:
        for choice in choices:
            part = self.part(choice) if isinstance(choice, str) else None
            if part is not None and part[1] is not None:
                return part[1]
        return None


@dataclass(frozen=True)
class LabelStudioReading:
    """How ``import`` reads an export: the label names, and which layer of each task."""

    names: LabelNames = LabelNames()
    predictions: bool = False  # a run: the task's first prediction; else its first annotation not cancelled


# --- reading -------------------------------------------------------------------------------------

_ARRAY_OF_OBJECTS = regex.compile(r"\A[ \t\n\r]*\[[ \t\n\r]*\{")


def looks_like_tasks(text: str) -> bool:
    """Whether a ``.json`` text is a Label Studio export: an array whose first object has a ``data`` object
    and no ``text`` of its own (an interchange document has one)."""
    m = _ARRAY_OF_OBJECTS.match(text)
    if m is None:
        return False
    try:
        first, _ = parse_json_at(text, m.end() - 1, "the first task")
    except ValueError:
        return False  # the interchange reader says what is wrong
    return isinstance(first.get("data"), dict) and "text" not in first


@dataclass
class Task:
    """One task: its document, each annotation's quotes by annotator, and each prediction's quotes."""

    where: str
    document: Document
    annotations: list[tuple[str, list[Quote]]] = field(default_factory=list)
    predictions: list[list[Quote]] = field(default_factory=list)


def read_tasks(path: Path, text: str, names: LabelNames) -> Iterator[Task]:
    """Every task of an export's text; InputError names the file and the task (its index and id)."""
    try:
        tasks = parse_json(text, "the file")
    except ValueError as exc:
        raise InputError(path, str(exc)) from None
    if not isinstance(tasks, list) or not tasks:
        raise InputError(path, "holds no Label Studio tasks (expected a JSON array of them)")
    for index, task in enumerate(tasks, 1):
        task_id = task.get("id") if isinstance(task, dict) else None
        where = f"task {index}" + (f" (id {task_id})" if task_id is not None else "")
        try:
            yield _task(task, names, f"{path}, {where}")
        except ValueError as exc:
            raise InputError(path, f"{where}: {exc}") from None


def read_label_studio(
    path: Path, encoding: str, reading: LabelStudioReading, text: str | None = None
) -> Iterator[Item]:
    """Each task's document with one layer: its first prediction, or its first annotation not cancelled.
    ``text``: the file's text, when the caller has read it already."""
    if text is None:
        text = decode(path, read_bytes(path), encoding)
    for task in read_tasks(path, text, reading.names):
        layers = task.predictions if reading.predictions else [quotes for _, quotes in task.annotations]
        yield task.where, AnnotatedDocument(task.document, layers[0] if layers else [])


def read_by_annotator(path: Path, encoding: str, names: LabelNames) -> tuple[list[Item], dict[str, list[Item]]]:
    """Every task's document, and each annotator's labels (by ``completed_by``: docs/label-studio.md).

    An annotator with two annotations on one task keeps the first."""
    text = decode(path, read_bytes(path), encoding)
    documents: list[Item] = []
    layers: dict[str, dict[str, Item]] = {}
    for task in read_tasks(path, text, names):
        documents.append((task.where, AnnotatedDocument(task.document)))
        for annotator, quotes in task.annotations:
            layers.setdefault(annotator, {}).setdefault(task.document.id, (task.where,
                                                                          AnnotatedDocument(task.document, quotes)))
    return documents, {name: list(items.values()) for name, items in layers.items()}


def is_label_studio_file(path: Path, encoding: str) -> bool:
    """Whether a ``.json`` file is a Label Studio export (``looks_like_tasks``). An export is one JSON array:
    a UTF-8 file whose first character is anything else (an interchange file's ``{``) is told from its
    first bytes, not read whole."""
    if path.suffix.lower() != ".json":
        return False
    if _opens_with_something_else_than_an_array(path, encoding):
        return False
    return looks_like_tasks(decode(path, read_bytes(path), encoding))


def _opens_with_something_else_than_an_array(path: Path, encoding: str) -> bool:
    """Whether the first character of a UTF-8 file (its byte-order mark and white space aside) is other than ``[``."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
        codec = bom_encoding(head) or codecs.lookup(encoding).name
    except (OSError, LookupError):
        return False  # the whole reading says what is wrong with the file or the encoding
    if codec not in ("utf-8", "utf-8-sig"):
        return False  # another encoding: left to the whole reading
    head = head.removeprefix(codecs.BOM_UTF8).lstrip(b" \t\r\n")
    return bool(head) and not head.startswith(b"[")


def _task(task: Any, names: LabelNames, where: str) -> Task:
    if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
        raise ValueError('is not a task (an object with a "data" object)')
    data = task["data"]
    key = _text_key(data, names.text)
    raw = data[key]
    if not raw.strip():
        raise ValueError(f"data.{key} is empty")
    doc_id = id_text(data.get("id", task.get("id")))
    if doc_id is None:
        raise ValueError('has no id (data.id, else the task\'s "id")')
    lang = data.get("lang")
    meta = dict(data["meta"]) if isinstance(data.get("meta"), dict) else {}
    meta.update({k: v for k, v in data.items() if k not in (key, "id", "lang", "meta")})
    offsets = _Offsets(raw)
    document = Document(id=doc_id, text=offsets.text, lang=lang if isinstance(lang, str) else None, meta=meta,
                        sha256=sha256(offsets.text))
    result = Task(where, document)
    for n, annotation in enumerate(_list(task, "annotations"), 1):
        if isinstance(annotation, dict) and annotation.get("was_cancelled"):
            continue
        quotes = _layer(annotation, names, offsets, f"annotation {n}")
        result.annotations.append((_annotator(annotation.get("completed_by")), quotes))
    for n, prediction in enumerate(_list(task, "predictions"), 1):
        result.predictions.append(_layer(prediction, names, offsets, f"prediction {n}"))
    return result


def _text_key(data: dict, key: str) -> str:
    """The data key holding the text: the given one, else the only one holding a string."""
    if isinstance(data.get(key), str):
        return key
    strings = [k for k, v in data.items() if isinstance(v, str) and k != "id"]
    if len(strings) == 1:
        return strings[0]
    raise ValueError(f"has no text in data.{key} (name the data key with --ls-labels Text=KEY)")


def _list(obj: dict, key: str) -> list:
    value = obj.get(key) or []
    if not isinstance(value, list):
        raise ValueError(f'"{key}" must be a list')
    return value


def _annotator(completed_by: Any) -> str:
    """An annotation's annotator: the email of a ``completed_by`` object, else ``label-studio-<user id>``."""
    if isinstance(completed_by, dict):
        email = completed_by.get("email")
        if isinstance(email, str) and email.strip():
            return email
        completed_by = completed_by.get("id")
    if isinstance(completed_by, str) and completed_by.strip():
        return completed_by
    if isinstance(completed_by, int) and not isinstance(completed_by, bool):
        return f"{NO_ANNOTATOR}-{completed_by}"
    return NO_ANNOTATOR


class _Offsets:
    """Region offsets checked against the task's text and mapped to code points of its normalised form.

    Label Studio counted UTF-16 code units (JavaScript string indices) in the versions of its issues
    #1347 and #1008, code points since (#4988): they differ only after a character beyond U+FFFF, and
    there the region's ``text`` tells which was meant (docs/label-studio.md)."""

    def __init__(self, raw: str):
        self.raw = raw
        self.text = normalise(raw)
        self.map = None if self.text == raw else OffsetMap(raw)
        self._utf16: list[int] | None = None  # code point offset of each UTF-16 offset (-1 inside a pair)

    def span(self, value: dict, what: str) -> Span:
        start, end = value.get("start"), value.get("end")
        if type(start) is not int or type(end) is not int:
            raise ValueError(f"{what} needs integer start and end, got {start!r} and {end!r}")
        given = value.get("text")
        if given is not None and not isinstance(given, str):
            raise ValueError(f"{what} has a text that is not a string")
        found = self._code_points(start, end, given)
        if found is None and given is None:
            raise ValueError(f"{what} [{start}, {end}) lies outside the text (length {len(self.raw)})")
        if found is None:
            there = excerpt(self.raw[start:end]) if 0 <= start <= end <= len(self.raw) else "nothing"
            raise ValueError(f"{what} [{start}, {end}) has text {excerpt(given)} but the text there is {there}")
        start, end = found
        if self.map is not None:
            start, end = self.map.start(start), self.map.end(end)
            end = max(start, end)
        return Span(start, end, self.text[start:end])

    def _code_points(self, start: int, end: int, given: str | None) -> tuple[int, int] | None:
        """The code-point offsets a region means: as given, else read as UTF-16 code units when its text
        matches there; None when neither fits."""
        if 0 <= start <= end <= len(self.raw) and given in (None, self.raw[start:end]):
            return start, end
        if given is None:
            return None
        if self._utf16 is None:
            self._utf16 = []
            for i, ch in enumerate(self.raw):
                self._utf16.extend((i, -1) if ord(ch) > 0xFFFF else (i,))
            self._utf16.append(len(self.raw))
        units = self._utf16
        if not 0 <= start <= end < len(units) or units[start] < 0 or units[end] < 0:
            return None
        start, end = units[start], units[end]
        return (start, end) if self.raw[start:end] == given else None


@dataclass
class _Region:
    id: str
    part: str | None = None  # quote, cue or speaker
    qtype: str | None = None
    span: Span | None = None
    choices: dict[str, list[Any]] = field(default_factory=dict)
    notes: dict[str, list[str]] = field(default_factory=dict)

    def note(self, name: str) -> str | None:
        values = self.notes.get(name)
        return values[0] if values else None


def _layer(layer: Any, names: LabelNames, offsets: _Offsets, what: str) -> list[Quote]:
    """The quotes of one annotation or prediction (its ``result``)."""
    if not isinstance(layer, dict):
        raise ValueError(f"{what} is not an object")
    regions: dict[str, _Region] = {}
    links: list[tuple[str, str]] = []
    for n, item in enumerate(_list(layer, "result"), 1):
        if not isinstance(item, dict):
            raise ValueError(f"{what}, result {n} is not an object")
        kind, value = item.get("type"), item.get("value")
        if kind == "relation":
            links.append((str(item.get("from_id")), str(item.get("to_id"))))
            continue
        if kind not in ("labels", "choices", "textarea") or not isinstance(value, dict) or "start" not in value:
            continue  # a whole-task control, or a control of another object (an image, audio…)
        rid = item.get("id")
        if not isinstance(rid, (str, int)) or isinstance(rid, bool) or not str(rid).strip():
            raise ValueError(f"{what}, result {n} has no region id, so nothing can be linked to it")
        region = regions.setdefault(str(rid), _Region(str(rid)))
        where = f"{what}, region {excerpt(region.id)}"
        if kind == "labels":
            labels = value.get("labels")
            if not isinstance(labels, list):
                raise ValueError(f"{where} has no list of labels")
            for label in labels:
                part = names.part(label) if isinstance(label, str) else None
                if part is not None and region.part in (None, part[0]):
                    region.part = part[0]
                    region.qtype = region.qtype or part[1]
            span = offsets.span(value, where)
            if region.span is not None and span != region.span:  # two regions under one id: one would be lost
                raise ValueError(f"{where} is given twice, at {region.span.start}–{region.span.end} and "
                                 f"{span.start}–{span.end}; each region needs its own id")
            region.span = span
        elif kind == "choices":
            choices = value.get("choices")
            region.choices[str(item.get("from_name"))] = choices if isinstance(choices, list) else []
        else:
            texts = value.get("text")
            texts = [texts] if isinstance(texts, str) else texts
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise ValueError(f"{where}: a textarea's text must be a list of strings")
            region.notes[str(item.get("from_name"))] = texts
    return _quotes(regions, links, names)


def _quotes(regions: dict[str, _Region], links: list[tuple[str, str]], names: LabelNames) -> list[Quote]:
    """Each quote region with its first linked cue and speaker (a speaker linked to its cue counts)."""
    spans = {rid: r for rid, r in regions.items() if r.part is not None and r.span is not None}
    cues_of: dict[str, list[str]] = {}
    speakers_of: dict[str, list[str]] = {}
    for a, b in links:
        if a not in spans or b not in spans:
            continue
        parts = {spans[a].part: a, spans[b].part: b}
        if "quote" in parts and "speaker" in parts:
            speakers_of.setdefault(parts["quote"], []).append(parts["speaker"])
        elif "quote" in parts and "cue" in parts:
            cues_of.setdefault(parts["quote"], []).append(parts["cue"])
        elif "cue" in parts and "speaker" in parts:
            speakers_of.setdefault(parts["cue"], []).append(parts["speaker"])
    quotes = []
    for rid, region in spans.items():
        if region.part != "quote":
            continue
        cues = cues_of.get(rid, [])
        speakers = speakers_of.get(rid) or [s for c in cues for s in speakers_of.get(c, [])]
        qtype = next(filter(None, (names.quote_type(c) for c in region.choices.values())), None)
        qtype = qtype or region.qtype or guess_type(region.span.text)
        quotes.append(Quote(
            start=region.span.start, end=region.span.end, text=region.span.text, type=qtype,
            cue=spans[cues[0]].span if cues else None,
            speaker=_speaker(spans[speakers[0]] if speakers else None, region),
            role=region.note("role"), role_category=region.note("role_category"), via=region.note("via"),
        ))
    return sorted(quotes, key=quote_order)


def _kind(region: _Region) -> str:
    kinds = [c.casefold() for c in region.choices.get(KIND_NAME, []) if isinstance(c, str)]
    return next((k for k in kinds if k in SPEAKER_KINDS), "unknown")


def _speaker(mention: _Region | None, quote: _Region) -> Speaker | None:
    """The linked speaker region, else the speaker without mention noted on the quote, else None."""
    if mention is not None:
        return Speaker(name=mention.note("name") or mention.span.text, kind=_kind(mention), mention=mention.span,
                       aliases=tuple(a for a in mention.notes.get("aliases", []) if a))
    name = quote.note("speaker")
    if not name:
        return None
    return Speaker(name=name, kind=_kind(quote), aliases=tuple(a for a in quote.notes.get("aliases", []) if a))


# --- writing -------------------------------------------------------------------------------------

LABEL_CONFIG = """<View>
  <Relations>
    <Relation value="said by"/>
    <Relation value="cue of"/>
  </Relations>
  <Labels name="label" toName="text">
    <Label value="Quote" background="#ffe38a"/>
    <Label value="Cue" background="#9fd3ff"/>
    <Label value="Speaker" background="#b4ecaa"/>
  </Labels>
  <Text name="text" value="$text"/>
  <View visibleWhen="region-selected">
    <Header value="Quote type (a quote)"/>
    <Choices name="type" toName="text" perRegion="true">
      <Choice value="Direct"/>
      <Choice value="Indirect"/>
      <Choice value="Mixed"/>
    </Choices>
    <Header value="Speaker kind"/>
    <Choices name="kind" toName="text" perRegion="true">
      <Choice value="person"/>
      <Choice value="organization"/>
      <Choice value="media"/>
      <Choice value="anonymous"/>
      <Choice value="unknown"/>
    </Choices>
    <TextArea name="name" toName="text" perRegion="true" maxSubmissions="1" placeholder="speaker's name"/>
    <TextArea name="aliases" toName="text" perRegion="true" placeholder="other names, one each"/>
    <TextArea name="speaker" toName="text" perRegion="true" maxSubmissions="1" placeholder="unnamed speaker"/>
    <TextArea name="role" toName="text" perRegion="true" maxSubmissions="1" placeholder="role"/>
    <TextArea name="role_category" toName="text" perRegion="true" maxSubmissions="1" placeholder="role category"/>
    <TextArea name="via" toName="text" perRegion="true" maxSubmissions="1" placeholder="via"/>
  </View>
</View>
"""


class _Results:
    """The ``result`` list of one task: regions (one per span and label, shared by the quotes that
    share it) with their per-region values, and relations."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self.ids: dict[tuple, str] = {}
        self.counts: dict[str, int] = {}  # regions made, by prefix

    def region(self, prefix: str, label: str, span: Span, key: tuple = ()) -> tuple[str, bool]:
        """The id of the region for ``span`` (made when new) and whether it is new."""
        full_key = (label, span.start, span.end, *key)
        if full_key in self.ids:
            return self.ids[full_key], False
        self.counts[prefix] = self.counts.get(prefix, 0) + 1
        rid = self.ids[full_key] = f"{prefix}{self.counts[prefix]}"
        self.items.append(self._item(rid, LABELS_NAME, "labels", span, {"labels": [label]}))
        return rid, True

    def choice(self, rid: str, span: Span, name: str, value: str) -> None:
        self.items.append(self._item(rid, name, "choices", span, {"choices": [value]}))

    def note(self, rid: str, span: Span, name: str, values: list[str]) -> None:
        self.items.append(self._item(rid, name, "textarea", span, {"text": values}))

    def relation(self, from_id: str, to_id: str, label: str) -> None:
        self.items.append({"from_id": from_id, "to_id": to_id, "type": "relation", "direction": "right",
                           "labels": [label]})

    @staticmethod
    def _item(rid: str, from_name: str, kind: str, span: Span, value: dict[str, Any]) -> dict[str, Any]:
        return {"id": rid, "from_name": from_name, "to_name": TEXT_NAME, "type": kind,
                "value": {"start": span.start, "end": span.end, "text": span.text, **value}}


def task_results(ad: AnnotatedDocument) -> list[dict[str, Any]]:
    """A document's quotes as Label Studio results (offsets: code points of the normalised text)."""
    results = _Results()
    for q in sorted(ad.quotes, key=quote_order):
        qid, _ = results.region("q", "Quote", q.span, (q.type, q.role, q.role_category, q.via))
        results.choice(qid, q.span, TYPE_NAME, q.type.capitalize())
        for name in ("role", "role_category", "via"):
            value = getattr(q, name)
            if value is not None:
                results.note(qid, q.span, name, [value])
        if q.cue is not None:
            cid, _ = results.region("c", "Cue", q.cue)
            results.relation(cid, qid, CUE_OF)
        sp = q.speaker
        if sp is not None and sp.mention is not None:
            sid, new = results.region("s", "Speaker", sp.mention, (sp.name, sp.kind, sp.aliases))
            if new:
                results.choice(sid, sp.mention, KIND_NAME, sp.kind)
                if sp.name != sp.mention.text:
                    results.note(sid, sp.mention, "name", [sp.name])
                if sp.aliases:
                    results.note(sid, sp.mention, "aliases", list(sp.aliases))
            results.relation(qid, sid, SAID_BY)
        elif sp is not None:
            results.note(qid, q.span, "speaker", [sp.name])
            results.choice(qid, q.span, KIND_NAME, sp.kind)
            if sp.aliases:
                results.note(qid, q.span, "aliases", list(sp.aliases))
    return results.items


def task_json(ad: AnnotatedDocument, owner: Owner) -> dict[str, Any]:
    """One document as a task: its text and id in ``data``, its quotes as an annotation (an annotator's
    labels) or a prediction whose ``model_version`` is the run's name."""
    doc = ad.document
    data: dict[str, Any] = {"id": doc.id, "text": doc.text}
    if doc.lang is not None:
        data["lang"] = doc.lang
    if doc.meta:
        data["meta"] = doc.meta
    results = task_results(ad)
    if owner.kind == "run":
        return {"data": data, "predictions": [{"model_version": owner.name, "result": results}]}
    return {"data": data, "annotations": [{"result": results}]}


class LabelStudioWriter:
    """Streams documents as one JSON array of tasks, one task a line."""

    def __init__(self, handle: IO[str], owner: Owner):
        self.handle = handle
        self.owner = owner
        self.quotes = 0
        self._first = True

    def write(self, ad: AnnotatedDocument) -> None:
        self.handle.write("[\n" if self._first else ",\n")
        self._first = False
        self.handle.write(json.dumps(task_json(ad, self.owner), ensure_ascii=False))
        self.quotes += len(ad.quotes)

    def close(self) -> None:
        self.handle.write("[]\n" if self._first else "\n]\n")
