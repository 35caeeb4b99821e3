"""Every format Critique reads or writes, in the order they are offered, with what each keeps
and leaves out. The README's format table is made from this list (scripts/format_table.py):
a sentence changed here is changed there by running the script, never by hand.

The names and descriptions are marked with N_() and shown through _(), in the language of the
window; what a format keeps and leaves out is documentation (the README's table), in English.
"""

from __future__ import annotations

from critique_app.i18n import N_
from exporters import sniffing
from exporters.file_format import Format, Kept

_MARKERS_LEAVE_OUT = "Prompts, tags, status and regions."

FORMATS: tuple[Format, ...] = (
    Format(
        "html",
        N_("HTML handout"),
        (".html",),
        ("text/html",),
        N_("handout: one self-contained web page with stills"),
        writer="html_handout:write",
        needs_stills=True,
        on_export=Kept(
            (
                "One self-contained page: the exact still of each passage inside it.",
                "Films, timecodes, frames, category, status, author, tags, note and prompt.",
            ),
            ("Regions are drawn on the stills, not kept as shapes.",),
        ),
    ),
    Format(
        "pdf",
        N_("PDF handout"),
        (".pdf",),
        ("application/pdf",),
        N_("handout: a printable PDF with stills and a table of contents"),
        writer="pdf_handout:write",
        needs_stills=True,
        on_export=Kept(
            (
                "A printable handout with a table of contents and each passage's still.",
                "Films, timecodes, frames, category, status, author, tags, note and prompt.",
            ),
            ("Regions are drawn on the stills, not kept as shapes.",),
        ),
    ),
    Format(
        "md",
        N_("Markdown"),
        (".md",),
        ("text/markdown",),
        N_("Markdown text of the seminar (no stills)"),
        writer="markdown_doc:write",
        on_export=Kept(
            (
                (
                    "Title, films, each passage with timecodes, frames, category, status, "
                    "author, tags, its note and prompt as Markdown."
                ),
            ),
            (
                "Stills.",
                (
                    "Raw HTML in any user string is escaped (a `<` before a letter, `/`, `!` "
                    "or `?` becomes `&lt;`) and shows as text, also inside code, where such a "
                    "`<` reads `&lt;`."
                ),
            ),
        ),
    ),
    Format(
        "csv",
        N_("CSV table"),
        (".csv",),
        ("text/csv",),
        N_("table: one row per annotation, SMPTE timecodes and frames"),
        writer="csv_table:write",
        reader="csv_table:read",
        sniffer=sniffing.table,
        round_trip_keeps_everything=True,
        on_import=Kept(
            (
                "Critique's own table: every field.",
                (
                    "A spreadsheet with only film, in, out, value or category, tier and author "
                    "columns, in any order, split by `,` `;` tab or `|`; start_time, end_time, "
                    "label and other usual names."
                ),
                (
                    "Times as frames, SMPTE timecode against the film's start, h:mm:ss(.fff) "
                    "or seconds."
                ),
                "Identifiers made from the rows, so a second import adds nothing.",
            ),
            ("Rows without a readable in point (skipped, counted with their line).",),
        ),
        on_export=Kept(
            (
                (
                    "One row per annotation: timecodes, frames and seconds, value, category, "
                    "tier, author, parent, note, tags, status, evidence, prompt, dates and "
                    "regions."
                ),
                "A cell that a spreadsheet would run as a formula is written as text.",
            ),
        ),
    ),
    Format(
        "json",
        N_("W3C Web Annotation"),
        (".json", ".jsonld"),
        (
            'application/ld+json;profile="http://www.w3.org/ns/anno.jsonld"',
            "application/json",
        ),
        N_("W3C Web Annotation JSON-LD (media fragments)"),
        writer="w3c:write",
        reader="w3c:read",
        streamer="w3c_stream:stream",
        sniffer=sniffing.web_annotation,
        round_trip_keeps_everything=True,
        on_import=Kept(
            (
                (
                    "Any id; Annotation, AnnotationCollection with its pages, AnnotationPage; "
                    "references to annotations given in full elsewhere in the file."
                ),
                (
                    "Targets as a string, an object, a SpecificResource, a list (the first "
                    "is used, and said) or a Composite."
                ),
                (
                    "`t=` in seconds, `npt:` or hh:mm:ss.sss at the film's exact rate (the "
                    "whole film when there is no `t=`); `xywh=` in pixels or `percent:` as a "
                    "region."
                ),
                (
                    "TextualBodies as the value (an HTML body's emphasis, underline, strike "
                    "and font as in subtitles), `tagging` as tags, `classifying` as the "
                    "category; external bodies as lines of the note."
                ),
            ),
            (
                "The content of bodies that are not text (their address is kept in the note).",
                "SVG selectors of other tools, states and styles.",
            ),
        ),
        on_export=Kept(
            (
                (
                    "Web Annotations with `t=` and `xywh=` or SVG selectors; the value, note, "
                    "category and tags as bodies; `critique:` properties for exact frames."
                ),
            ),
        ),
    ),
    Format(
        "iiif",
        N_("IIIF Presentation 3"),
        (".json",),
        ('application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"',),
        N_("IIIF Presentation 3 manifest: an AV canvas per film with its annotations"),
        writer="iiif:write",
        reader="w3c:read",
        sniffer=sniffing.iiif,
        round_trip_keeps_everything=True,
        on_import=Kept(
            (
                (
                    "Manifests with AV canvases (their duration, and their size for `xywh=`) "
                    "and their annotation pages."
                ),
                (
                    "Ranges (acts, chapters) as annotations, nested under their range; a range "
                    "ending past the film is cut at its end with its chapters, and said."
                ),
                "Canvases matched to films by the painted file's name.",
            ),
            ("Painting annotations (they are the media), thumbnails, behaviours.",),
        ),
        on_export=Kept(
            (
                (
                    "A Manifest, one AV canvas per film painting it, an annotation page with "
                    "`#t=` and `&xywh=` targets (validated with iiif-prezi3)."
                ),
                "IIIF → Critique → IIIF keeps every value.",
            ),
        ),
    ),
    Format(
        "vtt",
        N_("WebVTT"),
        (".vtt",),
        ("text/vtt",),
        N_("WebVTT subtitles: the annotations as cues"),
        writer="subtitles:write_vtt",
        reader="subtitles:read",
        streamer="subtitles:stream",
        sniffer=sniffing.webvtt,
        reader_takes_rate=True,
        round_trip_keeps_everything=True,
        on_import=Kept(
            (
                (
                    "Each cue's words as the value, its markup in any nesting: bold, italics "
                    "and strike as Markdown (`**`, `*` or `_`, `~~`), every other tag kept as "
                    "written (`<u>`, `<font color=…>`, `<c.loud>`, `<lang en>`, `<ruby>`/`<rt>`, "
                    "the voices of a cue several people speak)."
                ),
                (
                    "A voice that speaks the whole cue as a tag `voice:Name`; identifier and "
                    "cue settings as tags `vtt-id:` and `vtt-settings:`."
                ),
                "Cues without a blank line between them stay apart, as WebVTT parses them.",
                "`2<3,5>1` and `&` stay literal.",
            ),
            (
                "Blocks with bad timings or no timing line (skipped, counted).",
                "STYLE and REGION blocks; karaoke timestamps.",
                (
                    "Tags WebVTT does not know (ignored as its parser ignores them; the words are kept)."
                ),
            ),
        ),
        on_export=Kept(
            (
                (
                    "The value as the cue, with the same tags in the same nesting; identifier "
                    "and settings back."
                ),
                "A NOTE record that restores everything in Critique.",
            ),
        ),
    ),
    Format(
        "srt",
        N_("SubRip"),
        (".srt",),
        ("application/x-subrip", "text/srt"),
        N_("SubRip subtitles: the annotations as cues"),
        writer="subtitles:write_srt",
        reader="subtitles:read",
        streamer="subtitles:stream",
        sniffer=sniffing.subrip,
        reader_takes_rate=True,
        on_import=Kept(
            (
                "As WebVTT, with `<s>` and `<font>`.",
                "`{\\i1}`…`{\\i0}` (and `\\b`, `\\u`, `\\s`) as the tags they stand for.",
                (
                    "A tag no player knows is hidden when the cue closes it and shown as typed "
                    "otherwise, as VLC does."
                ),
                "The encoding, detected (or chosen) and named.",
            ),
            (
                "Running numbers (renumbered on export); bad blocks (counted).",
                "`{\\an8}` and other ASS overrides.",
            ),
        ),
        on_export=Kept(
            (
                (
                    "The value as the cue, in the same nesting; or category, tags and note when "
                    "there is no value."
                ),
            ),
            (
                (
                    "Tiers, authors, identifiers and Critique's other fields (SubRip has no "
                    "place for them): read back, the cues go onto one tier."
                ),
            ),
        ),
    ),
    Format(
        "otio",
        N_("OpenTimelineIO"),
        (".otio",),
        ("application/json",),
        N_("OpenTimelineIO timeline of the passages"),
        writer="timeline:write_otio",
        on_export=Kept(
            (
                (
                    "The passages as clips of their films at exact frames, offset by the "
                    "film's start timecode, each with a marker: category, note and prompt."
                ),
            ),
            (_MARKERS_LEAVE_OUT,),
        ),
    ),
    Format(
        "edl",
        N_("CMX 3600 EDL"),
        (".edl",),
        ("text/plain",),
        N_("CMX 3600 edit decision list with Avid and Resolve markers (split past 24 hours)"),
        writer="edl:write",
        on_export=Kept(
            (
                (
                    "One event per passage: the film's file name and path, source timecode "
                    "from the film's own start timecode, record timecode from 00:00:00:00."
                ),
                (
                    "FCM: DROP FRAME at 29.97 and 59.94 drop-frame, else NON-DROP FRAME; an "
                    "Avid locator and a Resolve marker per passage, coloured by category."
                ),
                (
                    "Past 24 hours or 999 events, several EDLs (name.edl, name-2.edl…), and "
                    "the export says so."
                ),
            ),
            (
                "Notes (a note's first line names the marker of a passage without value).",
                _MARKERS_LEAVE_OUT,
                "One frame rate per EDL: films at several rates are refused with a sentence.",
                "Reels are cut to 8 letters; `|` in a marker's text becomes `/`.",
                (
                    "OpenTimelineIO's EDL reader skips drop-frame locators (`;`); Resolve's "
                    "marker lines carry them."
                ),
            ),
        ),
    ),
    Format(
        "fcp7",
        N_("Final Cut Pro 7 XML"),
        (".xml",),
        ("application/xml",),
        N_("Final Cut Pro 7 XML timeline with markers, for Premiere and Resolve"),
        writer="final_cut:write_fcp7",
        on_export=Kept(
            (
                (
                    "Clips of the films with in and out at the exact frames, the file's start "
                    "timecode (DF or NDF)."
                ),
                (
                    "One marker per passage over its frames, named 'Category: value', in plain "
                    "text, the note as its comment."
                ),
            ),
            (
                _MARKERS_LEAVE_OUT,
                "Marker colours (Final Cut Pro 7 markers have none).",
                "Films at several rates share one sequence, at the first film's rate.",
            ),
        ),
    ),
    Format(
        "fcpxml",
        N_("FCPXML"),
        (".fcpxml",),
        ("application/xml",),
        N_("FCPXML timeline with markers, for Final Cut Pro and Resolve"),
        writer="final_cut:write_fcpxml",
        on_export=Kept(
            (
                (
                    "FCPXML 1.8: the same clips at exact rational times (23.976 and 29.97 as "
                    "1001/24000 s and 1001/30000 s frames), `tcFormat` DF or NDF, the film's "
                    "picture size and a format name Final Cut Pro defines."
                ),
                "One marker per passage over its frames, named 'Category: value', in plain text.",
            ),
            (
                "Notes (a marker has only a name: a note's first line when there is no value).",
                _MARKERS_LEAVE_OUT,
                "Colours (all markers are standard markers).",
            ),
        ),
    ),
    Format(
        "eaf",
        N_("ELAN"),
        (".eaf",),
        ("text/x-eaf+xml", "application/xml"),
        N_("ELAN annotation file: tiers and controlled vocabulary"),
        writer="elan_writer:write",
        reader="elan_reader:read",
        sniffer=sniffing.elan,
        reader_takes_rate=True,
        reader_takes_encoding=False,
        round_trip_keeps_everything=True,
        on_import=Kept(
            (
                "EAF 2.3 to 3.0: every annotation's text as its value.",
                (
                    "Tiers with parent, linguistic type and constraint (Symbolic_Association, "
                    "Symbolic_Subdivision, Time_Subdivision, Included_In); each child "
                    "annotation linked to its parent (by reference on symbolic tiers; on "
                    "Time_Subdivision and Included_In tiers, to the parent tier's annotation "
                    "whose span holds it: 3,192 of 3,192 in ELAN's full demo file)."
                ),
                (
                    "Unaligned time slots placed as ELAN places them; REF_ANNOTATIONs take "
                    "their parent's span, subdivisions share it evenly."
                ),
                (
                    "Controlled vocabularies with their entry ids (CVE_REF), empty ones too "
                    "(kept empty, named in the sentence with the external file their entries "
                    "are in); several media descriptors matched to films by file name."
                ),
            ),
            (
                "The entries of an external vocabulary file (.ecv) that no annotation uses.",
                "EXT_REFs, LOCALE, LEXICON_REF, LINKED_FILE_DESCRIPTOR, annotator per tier.",
                (
                    "A time-aligned child that no parent annotation holds keeps no parent (counted, named)."
                ),
                "DTDs and entities are refused (entity attacks).",
            ),
        ),
        on_export=Kept(
            (
                (
                    "EAF 3.0 valid against ELAN's schema: the same tiers, parents, types, "
                    "constraints, values, vocabularies and CVE_REFs (EAF → Critique → EAF keeps "
                    "them)."
                ),
                "A note tier and a record tier, so that Critique's own fields come back.",
                (
                    "Time_Subdivision children share their parent's time slots, as ELAN writes "
                    "them; empty vocabularies are written back (without their EXT_REF)."
                ),
            ),
        ),
    ),
    Format(
        "xspf",
        N_("XSPF playlist"),
        (".xspf",),
        ("application/xspf+xml",),
        N_("playlist VLC opens, each item from its in to its out"),
        writer="xspf:write",
        on_export=Kept(
            (
                (
                    "Each passage as an item of its film, from its in-frame to its out-frame, "
                    "titled by its position, category and timecode, its prompt as annotation."
                ),
            ),
            ("Notes, values, tags, status, regions.",),
        ),
    ),
    Format(
        "clips",
        N_("Clips"),
        (),
        (),
        N_("one frame-exact clip per item, with a sidecar JSON"),
        writer="clips:write",
        on_export=Kept(
            (
                (
                    "One clip per passage cut at the exact in- and out-frames, with the film's "
                    "sound cut to the same span."
                ),
                "A sidecar JSON: the passage's annotation, the film's SHA-256 and frames.",
            ),
            ("The original encoding: clips are re-encoded (sound as AAC, stereo).",),
        ),
    ),
    Format(
        "pack",
        N_("Seminar pack"),
        (".zip",),
        ("application/zip",),
        N_("zip: handouts, clips, playlist, timeline, annotations, README"),
        writer="pack:write",
        needs_stills=True,
        on_export=Kept(
            (
                (
                    "Handouts (HTML, PDF), clips, a playlist, a timeline, the annotations as "
                    "W3C JSON and a short README, in one zip."
                ),
            ),
            ("What each of those formats leaves out.",),
        ),
    ),
)
