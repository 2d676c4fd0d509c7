"""Every diagnostic code, defined once: its severity, title, message templates and documentation.

This table is the one place a code is kept. `Diagnostics.add` fills in a code's message template
with named fields (so one code has one wording, or a few named variants of it), and decides from
the severity whether it stops the content; tools/generate_diagnostics_doc.py writes
docs/diagnostics.md from it; tests/test_diagnostics.py runs each example's broken content (the
function its `case` names in tests/diagnostic_cases.py) and compares the line `validate` prints
with the example's `line`, exactly. This is Yarn Spinner's YarnSpinner.Diagnostics/Definitions
done as a Python table: nothing is parsed, and diagnostics.py imports it only when a diagnostic
is made, so clean content loaded at start-up never pays for it.

Codes are stable: a code keeps its meaning in every version. A code that is no longer issued stays
here, `retired`, saying what took its place, so that old notes and scripts still find it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

ERROR = "error"       # the content cannot be used until it is fixed
WARNING = "warning"   # something was skipped or looks wrong; the content can still be played


@dataclass(frozen=True)
class Example:
    """One documented example: the broken content, and the line `validate` prints for it.

    `case` names the function in tests/diagnostic_cases.py that breaks the tiny scenario this way,
    and the test compares `line` with what `validate` prints for it; None only where the test
    cannot build it (a folder that cannot be listed: the tests may run as root)."""

    case: str | None
    line: str
    content: str = ""
    lang: str = "yaml"
    before: str = ""
    after: str = ""


@dataclass(frozen=True)
class Code:
    """One code: what stops the content (severity), what it is called and how its messages read,
    and what its page in docs/diagnostics.md says about it."""

    code: str
    severity: str
    title: str
    messages: Mapping[str, str]   # variant name → template with {named} fields
    about: str
    examples: tuple[Example, ...] = ()
    fix: str = ""
    retired: str = ""             # why the code is no longer issued, and what took its place

    def template(self, variant: str = "") -> str:
        """The template of `variant`; a code with one message needs no variant name."""
        if not variant and len(self.messages) == 1:
            return next(iter(self.messages.values()))
        try:
            return self.messages[variant]
        except KeyError:
            raise ValueError(f"{self.code} has no message {variant!r} (it has {', '.join(self.messages)})") from None


DEFINITIONS: tuple[Code, ...] = (
    Code(
        'E001', ERROR, 'File cannot be read',
        messages={
            'file': 'cannot read file: {reason}',
            'folder': 'cannot read folder: {reason}; its files are not loaded',
        },
        about="""\
The file exists but cannot be opened (a folder where a file is named,
missing permissions, a link that loops, a disk error), or a folder of content cannot be listed
(its files would otherwise be silently missing).""",
        examples=(
            Example(case='E001', line='scenarios/mini/received.txt:1:1: E001 cannot read file: it is a folder'),
            Example(case=None, line='dialogue/mini/host:1:1: E001 cannot read folder: Permission denied; its files are not loaded'),
        ),
        fix='make it a readable file (or folder), or remove it.',
    ),
    Code(
        'E002', ERROR, 'File is not UTF-8 text',
        messages={
            'utf16': 'file is UTF-16; save it as UTF-8',
            'binary': 'file is binary (it contains a NUL byte), not text',
            'encoding': 'file is not valid UTF-8 (byte 0x{byte:02x}); save it as UTF-8',
        },
        about="""\
Content must be UTF-8. Binary files (anything with a NUL byte),
UTF-16 files and files saved in another encoding (Latin-1, Windows-1252) are refused. The
position is that of the first bad byte.""",
        examples=(
            Example(case='E002', content="""\
# saved as Latin-1:
nodes: []
# café""", line='dialogue/mini/common/latin1.yaml:2:6: E002 file is not valid UTF-8 (byte 0xe9); save it as UTF-8'),
        ),
        fix='save the file as UTF-8 in your editor.',
    ),
    Code(
        'E003', ERROR, 'YAML syntax error',
        messages={
            'syntax': '{problem}',
            'alias': "unknown alias '*{anchor}'",
        },
        about="""\
The file is not valid YAML: an unclosed bracket, a tab used for
indentation, a `:` inside an unquoted text, an alias to an anchor that does not exist.""",
        examples=(
            Example(case='E003', content="""\
nodes: [
  - id: a""", line='dialogue/mini/common/syntax.yaml:2:3: E003 while parsing a flow node did not find expected node content'),
        ),
        fix="""\
look at the line and column given; quote texts that contain `: ` or start with a special
character.""",
    ),
    Code(
        'E004', ERROR, 'File too large',
        messages={
            'size': 'file is {size:,} bytes; the limit is {limit:,}',
            'grew': 'file grew beyond the limit of {limit:,} bytes while it was read',
        },
        about="""\
A content file may be at most 2 MiB. The size is checked before the file is
read, so a huge file cannot exhaust memory.""",
        examples=(
            Example(case='E004', line='dialogue/mini/common/huge.yaml:1:1: E004 file is 2,097,153 bytes; the limit is 2,097,152'),
        ),
        fix='split the file; dialogue may be spread over any number of files.',
    ),
    Code(
        'E005', ERROR, 'Duplicate key',
        messages={
            'key': "duplicate key '{key}' (first at line {first})",
        },
        about="""\
A map holds the same key twice. YAML would silently keep the last one; we
refuse, because one of the two was a mistake.""",
        examples=(
            Example(case='E005', content="""\
  - id: close
    id: close2""", line="dialogue/mini/common/main.yaml:24:5: E005 duplicate key 'id' (first at line 23)"),
        ),
    ),
    Code(
        'E006', ERROR, 'Nesting too deep',
        messages={
            'depth': 'nesting deeper than {limit} levels',
            'parser': 'nesting deeper than the parser allows ({problem})',
        },
        about="""\
Maps and lists may nest at most 64 levels. Deeper files are refused (they
are never needed, and can crash parsers).""",
        examples=(
            Example(case='E006', content='nodes: [[[[[[[[ … 100 levels … ]]]]]]]]', line='dialogue/mini/common/deep.yaml:1:71: E006 nesting deeper than 64 levels'),
        ),
    ),
    Code(
        'E007', ERROR, 'Too many values',
        messages={
            'values': 'more than {limit:,} values in one file{how}',
        },
        about="""\
A file may hold at most 200,000 values (each map, list, key and text counts
once, however deep it sits), counting every use of an alias as all the values it stands for.
This stops "billion laughs" files, where a few lines of anchors and aliases expand to billions
of values. The message says "after expanding aliases" only when the file uses aliases.""",
        examples=(
            Example(case='E007', content="""\
a0: &a0 [x, x, x, x, x, x, x, x, x, x]
a1: &a1 [*a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0, *a0]
# … a2 to a8, each ten times the one before""", line='dialogue/mini/common/bomb.yaml:6:10: E007 more than 200,000 values in one file after expanding aliases'),
        ),
        fix='split the file; do not use anchors and aliases in content.',
    ),
    Code(
        'E008', ERROR, 'Unsupported YAML tag',
        messages={
            'tag': "tag '{tag}' is not allowed in content",
        },
        about="""\
Only plain maps, lists, texts, numbers, booleans and null are allowed.
Tags such as `!!python/object`, `!!binary` or `!!set` are refused and never executed.""",
        examples=(
            Example(case='E008', content="nodes: !!python/object/apply:os.system ['ls']", line="dialogue/mini/common/tag.yaml:1:8: E008 tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed in content"),
        ),
    ),
    Code(
        'E009', ERROR, 'Empty file',
        messages={
            'empty': 'file is empty',
        },
        about='The file holds nothing but white space and comments.',
        examples=(
            Example(case='E009', line='dialogue/mini/common/empty.yaml:1:1: E009 file is empty'),
        ),
        fix='delete it, or give it its `nodes:`.',
    ),
    Code(
        'E010', ERROR, 'More than one YAML document',
        messages={
            'documents': "more than one YAML document ('---'); use one per file",
        },
        about="""\
A file holds several documents separated by `---`; only the
first would be read.""",
        examples=(
            Example(case='E010', content="""\
nodes: []
---
nodes: []""", line="dialogue/mini/common/two.yaml:2:1: E010 more than one YAML document ('---'); use one per file"),
        ),
    ),
    Code(
        'E011', ERROR, 'Not a regular file',
        messages={
            'kind': 'this is {kind}, not a regular file; only regular files are read',
            'changed': 'the file changed into something that is not a regular file while it was read',
        },
        about="""\
A content file (or a kiosk config) is a named pipe, a device or a socket:
reading a pipe never ends, and a device such as `/dev/zero` never stops giving bytes. Such files
are refused without reading them, and so is a file that turns into one while it is opened.""",
        examples=(
            Example(case='E011', lang='sh', content='mkfifo dialogue/mini/common/pipe.yaml', line='dialogue/mini/common/pipe.yaml:1:1: E011 this is a named pipe, not a regular file; only regular files are read'),
        ),
        fix='remove it, or replace it with an ordinary file.',
    ),
    Code(
        'E012', ERROR, 'File outside the content folder',
        messages={
            'outside': (
                "{what} is outside the content folder (through a link or '..'); only files inside the "
                'folder are read'
            ),
            'link': '{what} is a link out of the content folder; only files inside the folder are read',
        },
        about="""\
A file named by the content (`received: ../../etc/passwd`,
`clean: /home/…`, `flag: ../../../photo.png`), or a link inside the content folder, leads out of
it. Paths are resolved
(links and `..` followed) before anything is read, and only files that stay inside the folder
given to `--content` are read. Nothing of the outside file is read or quoted.""",
        examples=(
            Example(case='E012', content="""\
source:
  received: ../../../outside.txt""", line="../outside.txt:1:1: E012 this file is outside the content folder (through a link or '..'); only files inside the folder are read"),
        ),
        fix="copy the file into the scenario's folder and name it there.",
    ),
    Code(
        'E013', ERROR, 'Content folder too large',
        messages={
            'bytes': (
                'the content folder holds more than {limit:,} bytes of content files; split it into '
                'several content folders'
            ),
            'values': (
                'the content folder holds more than {limit:,} values in all; split it into several '
                'content folders'
            ),
            'depth': 'folders nest more than {limit} levels deep below the dialogue folder',
            'files': 'more than {limit:,} dialogue files; put fewer, larger files in the folder',
            'entries': 'the folder holds more than {limit:,} files; its files are not loaded',
            'cited': (
                'the record lines cite more than {limit:,} characters of the source in all, too much to '
                'check; cite fewer paragraphs per line'
            ),
        },
        about="""\
One content folder may hold at most 8 MiB of content files and
500,000 values in all, 2,000 dialogue files per scenario, and folders 16 levels deep below a
scenario's dialogue folder; its record lines may cite at most 50,000,000 characters of the
source in all (each line's cited paragraphs are searched for its words). So a check of any folder finishes within seconds; a generated
scenario of 10,000 nodes needs about four fifths of it, the shipped scenario about 0.4 MiB and 12,000
values.""",
        examples=(
            Example(case='E013', line='dialogue/mini/common/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15:1:1: E013 folders nest more than 16 levels deep below the dialogue folder'),
        ),
        fix='split the content into several content folders, or flatten the folders.',
    ),
    Code(
        'E014', ERROR, 'File name is not UTF-8',
        messages={
            'name': (
                "the name '{name}' is not valid UTF-8, so it is not read; rename it (letters, digits, "
                "'-', '_' and '.' are safe everywhere)"
            ),
        },
        about="""\
A content file's (or folder's) name is not valid UTF-8, as happens
with names made on old systems or in another code page. It is not read; the message spells the
name with the undecodable bytes as `\\xNN`.""",
        examples=(
            Example(case='E014', line="dialogue/mini/common/caf\\xe9.yaml:1:1: E014 the name 'caf\\xe9.yaml' is not valid UTF-8, so it is not read; rename it (letters, digits, '-', '_' and '.' are safe everywhere)"),
        ),
    ),
    Code(
        'E015', ERROR, 'Too many problems',
        messages={
            'more': (
                '{count:,} more problem(s) from here on are not shown (only the first {kept:,} are kept); '
                'fix these and run validate again'
            ),
        },
        about="""\
Only the first 1,000 diagnostics of a run are kept and printed; this last
line says how many more there were, from where. (A file of 200,000 misspelt keys would otherwise
print 200,000 lines, and working out a "did you mean" for each would take minutes.)""",
        examples=(
            Example(case='E015', line='dialogue/mini/common/typos.yaml:1002:1: E015 1 more problem(s) from here on are not shown (only the first 1,000 are kept); fix these and run validate again'),
        ),
        fix='fix the problems shown (often one mistake repeated), then run `validate` again.',
    ),
    Code(
        'E016', ERROR, 'Not a usable PNG image',
        messages={
            'kind': "image '{name}' is not a PNG file; pictures must be PNG",
            'size': "image '{name}' is {width:,} × {height:,} pixels; at most {limit:,} × {limit:,}",
        },
        about="""\
A picture named in the `presentation` block (a flag, the emblem, the map,
the stamp) must be a PNG file of at most 4,096 × 4,096 pixels. The window decodes every picture
it shows, and a PNG of 40 KB can claim 100,000 × 100,000 pixels (40 GB once decoded); a file of
another kind is refused whatever its name says. The position is the key that names the picture.""",
        examples=(
            Example(case='E016', content="""\
# scenarios/mini/flag_tea.png: a PNG header claiming 100000 × 100000 pixels
      - side: host
        flag: flag_tea.png""", line="scenarios/mini/scenario.yaml:51:15: E016 image 'flag_tea.png' is 100,000 × 100,000 pixels; at most 4,096 × 4,096"),
        ),
        fix="""\
save the picture as a PNG at the size it is shown (a flag: about 60 × 30 pixels; the title
emblem: 600 × 600).""",
    ),
    Code(
        'E101', ERROR, 'Wrong type',
        messages={
            'type': '{subject} must be {expected}, not {found}',
            'unquoted': '{subject} must be text, not {found} (put it in quotes: "…")',
        },
        about="""\
A value has the wrong type: a text where a list is needed, a list where a map is
needed. The most common case: YAML reads `no`, `yes`, `on`, `off` as booleans.""",
        examples=(
            Example(case='E101', content='      - {id: close.l1, speaker: record, provenance: invented, text: no}', line='dialogue/mini/common/main.yaml:25:71: E101 \'text\' in a line must be text, not the boolean false (put it in quotes: "…")'),
        ),
        fix='`text: "No."`',
    ),
    Code(
        'E102', ERROR, 'Unknown key',
        messages={
            'key': "unknown key '{key}' in {what}{hint}",
        },
        about="""\
A key that the format does not have, usually a typo. The message suggests the
nearest known key.""",
        examples=(
            Example(case='E102', content='        - {id: c-weather.rude, …, historcal: false, …}', line="dialogue/mini/common/main.yaml:13:108: E102 unknown key 'historcal' in an option (did you mean 'historical'?)"),
        ),
    ),
    Code(
        'E103', ERROR, 'Missing required key',
        messages={
            'key': "{what} has no '{key}'",
            'seat': "a seat needs a 'speaker', a 'name', or both",
        },
        about='See [content-format.md](content-format.md) for what each item needs.',
        examples=(
            Example(case='E103', content='        - {id: c-weather.rude, label: "Complain", provenance: invented, text: "…", historical: false}', line="dialogue/mini/common/main.yaml:13:11: E103 an option has no 'goto'"),
        ),
    ),
    Code(
        'E104', ERROR, 'Invalid id',
        messages={
            'id': "'{value}' is not a valid id ({allowed})",
            'reserved': "'{value}' is a word of the condition language; choose another variable id",
            'both': "'both' is reserved for two players; choose another role id",
            'seat': "seat '{value}' is not a speaker id (or give a map with 'name')",
        },
        about="""\
Ids are lower-case letters, digits, `.`, `_` and `-` (variables: letters, digits
and `_`), starting with a letter or digit, at most 80 characters. `both` is reserved for roles.
A variable may not be named after a word of the condition language (`and`, `or`, `not`, `true`,
`false`, `visited`, `chose`, `ends`).""",
        examples=(
            Example(case='E104', content='      - {id: Close Line, …}', line="dialogue/mini/common/main.yaml:25:14: E104 'Close Line' is not a valid id (lower-case letters, digits, '.', '_' and '-')"),
            Example(case='E104-reserved', line="scenarios/mini/scenario.yaml:30:10: E104 'and' is a word of the condition language; choose another variable id"),
        ),
    ),
    Code(
        'E105', ERROR, 'Duplicate id',
        messages={
            'twice': "{kind} id '{ident}' is used twice (first at line {first})",
            'used': "{kind} id '{ident}' is already used at {first}",
        },
        about="""\
Nodes, lines, choice points and options share one namespace per scenario; each
kind of manifest item (speakers, roles, variables, paths, endings, objectives, glossary entries)
has its own.""",
        examples=(
            Example(case='E105', content="""\
      - {id: start.l1, …}
      - {id: start.l1, …}""", line="dialogue/mini/common/main.yaml:5:9: E105 line id 'start.l1' is already used at dialogue/mini/common/main.yaml:4:9"),
        ),
    ),
    Code(
        'E106', ERROR, 'Invalid value',
        messages={
            'empty': "'{key}' in {what} is empty",
            'not_one_of': "{subject} '{value}' is not {allowed}",
            'too_many': '{subject} has {count:,} {things}; at most {limit:,}{why}',
            'range': "'{key}' must be from {low} to {high}{unit}, not {value}",
            'twice': "'{key}' names '{value}' twice; give each chair once",
            'none': "'{key}' needs at least one {thing}{why}",
            'ref': "'{value}' is not a paragraph reference like ¶12",
            'side': "speaker '{ident}' has voice {voice}, so its side must be 'none'",
            'claim': "objective '{key}' must be 'met' or 'not met', not {found}",
            'yaml': "cannot read '{value}' as {type}",
            'chord': (
                "'admin_chord' {problem}: give at least two different ones of ctrl/alt/shift and a key, "
                "like 'ctrl+alt+shift+a'"
            ),
            'pin': (
                "'admin_pin' must be the text that hash_pin makes from the PIN (pbkdf2-sha256$…), never "
                'the digits themselves; see docs/kiosk.md'
            ),
        },
        about="""\
A value of the right type but not an allowed one: a provenance other than
`record`, `adapted`, `invented`; a `ref` that is not `¶N` (with ASCII digits: `¶١` is refused);
a `ref` list of more than 10 paragraphs; a glossary of more than 2,000 entries, or an entry with
more than 10 aliases (every line is searched for every name); an empty text.""",
        examples=(
            Example(case='E106', content='      - {id: close.l1, speaker: record, provenance: rumour, …}', line="dialogue/mini/common/main.yaml:25:55: E106 provenance 'rumour' is not record, adapted or invented"),
        ),
    ),
    Code(
        'E107', ERROR, 'Number too long',
        messages={
            'yaml': "the number '{value}' is too long: whole numbers in content have at most {limit} digits",
            'expression': (
                "in {kind} '{source}': the number is {digits:,} digits long; numbers have at most {limit} "
                'digits{at}'
            ),
            'ref': "the paragraph number in '{value}' is too long: numbers have at most {limit} digits",
            'paragraph': 'the paragraph id is {digits:,} digits long; numbers have at most {limit} digits',
        },
        about="""\
A whole number in content has at most 15 digits: in YAML (`format`,
`default`, `min`, `max`, in any notation: decimal, `0x…`, base 60), in a condition or effect, in a
paragraph reference `¶N` and in a `source.md` paragraph id. (Python refuses to convert numbers
of 4,300 digits or more, and a range of 10³⁰ values cannot even be counted.)""",
        examples=(
            Example(case='E107', content='format: 10000000000000000000001', line="scenarios/mini/scenario.yaml:1:9: E107 the number '10000000000000000000001' is too long: whole numbers in content have at most 15 digits"),
        ),
    ),
    Code(
        'E108', ERROR, 'Control or invisible character in text',
        messages={
            'text': (
                "'{key}' in {what} holds {char} (character {index}); control, bidi and invisible characters are "
                "not allowed"
            ),
            'line_break': "'{key}' in {what} holds a line break (character {index}); '{key}' here is one line",
            'paragraph': '¶{number} holds {char}; control, bidi and invisible characters are not allowed',
        },
        about="""\
A text holds a character that a reader cannot see or
that changes what is shown: a control character (NUL, ESC, which starts terminal escape
sequences, TAB, C1 controls), a bidi override or isolate (U+202A–U+202E, U+2066–U+2069, which
reorder a line), a zero-width character (U+200B–U+200D, U+2060, U+FEFF), a line or paragraph
separator, or an invisible tag character. YAML's double-quoted escapes (`"\\e"`, `"\\u202e"`)
can produce all of them. A line break is allowed only in prose shown as paragraphs: `intro`,
`epilogue`, `summary`, `note`, `source_note`, `date_note`, `why`, `description`, `uncertain`,
and the `text` of glossary entries, history items and the outcome; never in a spoken line, an
option, a title or a name (in the terminal it would print a second, forged line). The same holds
for every paragraph of `source.md`.""",
        examples=(
            Example(case='E108', content='      - {id: close.l1, speaker: narrator, provenance: invented, text: "The conversation \\u202eends."}', line="dialogue/mini/common/main.yaml:25:71: E108 'text' in a line holds U+202E RIGHT-TO-LEFT OVERRIDE (character 18); control, bidi and invisible characters are not allowed"),
        ),
        fix='delete the character (editors often show it as a small box, or not at all).',
    ),
    Code(
        'E109', ERROR, 'Text too long',
        messages={
            'text': "'{key}' in {what} is {length:,} characters long; the limit is {limit:,}",
            'paragraph': '¶{number} is {length:,} characters long; the limit is {limit:,} (split it)',
        },
        about="""\
Titles, names, labels, moments and prompts (one line on a screen) hold at most
200 characters; every other text at most 5,000; a paragraph of `source.md` at most 10,000.""",
        examples=(
            Example(case='E109', line="scenarios/mini/scenario.yaml:3:8: E109 'title' in the scenario manifest is 203 characters long; the limit is 200"),
        ),
        fix='shorten it, or split a long line into several.',
    ),
    Code(
        'E201', ERROR, 'Unknown jump target',
        messages={
            'jump': "jump to '{target}', which is not a node",
        },
        about='A `goto` (of a node, an option or a branch arm) names no node.',
        examples=(
            Example(case='E201', content='        - {id: c-tea.none, …, goto: nowhere}', line="dialogue/mini/common/main.yaml:21:11: E201 jump to 'nowhere', which is not a node"),
        ),
    ),
    Code(
        'E202', ERROR, 'Unknown speaker',
        messages={
            'speaker': "unknown speaker '{speaker}'",
        },
        about='A line, an option or a role names a speaker the manifest does not declare.',
        examples=(
            Example(case='E202', content='      - {id: close.l1, speaker: stalin, …}', line="dialogue/mini/common/main.yaml:25:33: E202 unknown speaker 'stalin'"),
        ),
    ),
    Code(
        'E203', ERROR, 'Unknown paragraph',
        messages={
            'ref': "'{ident}' cites ¶{ref}, which is not in the source (¶1–¶{last})",
            'source': "source '{ref}' is not a paragraph of the record (¶1–¶{last})",
        },
        about='A `ref` cites a paragraph that is not in `source.md`.',
        examples=(
            Example(case='E203', content='        - {id: c-tea.tea, …, provenance: record, ref: ¶99, …}', line="dialogue/mini/common/main.yaml:22:11: E203 'c-tea.tea' cites ¶99, which is not in the source (¶1–¶4)"),
        ),
    ),
    Code(
        'E204', ERROR, 'Record text not verbatim in the source',
        messages={
            'verbatim': 'record text of \'{ident}\' is not word for word in {refs}: differs at "{near}"{agreed}',
        },
        about="""\
A `record` line or option whose text is not word for
word in the paragraphs it cites (after folding white space, quotes, dashes and ellipses; pieces
may be joined with ` … ` in order). The message shows where the text departs from the source.""",
        examples=(
            Example(case='E204', content='        - {id: c-weather.cold, provenance: record, ref: ¶3, text: "It is very cold in Moscow, but the tea is warm."}', line='dialogue/mini/common/main.yaml:12:11: E204 record text of \'c-weather.cold\' is not word for word in ¶3: differs at "very cold in Moscow, but the tea is warm"; it agrees up to "…It is "'),
        ),
        fix='copy the words from `source.md`, cite the right paragraph, or mark the line `adapted`.',
    ),
    Code(
        'E205', ERROR, 'Missing paragraph reference',
        messages={
            'ref': "{provenance} {what} must cite its paragraphs with 'ref: ¶N'",
        },
        about="""\
`record` and `adapted` lines and options must cite their
paragraphs with `ref`.""",
        examples=(
            Example(case='E205', content='      - {id: start.l1, speaker: record, provenance: record, text: "Record of a short conversation."}', line="dialogue/mini/common/main.yaml:4:9: E205 record line must cite its paragraphs with 'ref: ¶N'"),
        ),
    ),
    Code(
        'E206', ERROR, 'Unknown role',
        messages={
            'by': "'{role}' is not a role of this scenario ({roles})",
            'side': "speaker '{speaker}' sits on side '{side}', which is not a role (or 'none')",
            'kiosk': "kiosk role '{role}' is not a role of {scenario}",
        },
        about="A choice point's `by`, or a speaker's `side`, names no role.",
        examples=(
            Example(case='E206', content="""\
    choice:
      id: c-tea
      by: waiter""", line="dialogue/mini/common/main.yaml:17:11: E206 'waiter' is not a role of this scenario (guest, host)"),
        ),
    ),
    Code(
        'E207', ERROR, 'Provenance does not fit the voice',
        messages={
            'record': (
                "'{ident}' is {provenance} text in the record's voice ('{speaker}'); the record speaks "
                "only its own words: give it to the game's narrator"
            ),
            'narrator': (
                "'{ident}' is record text in the game's narrator's voice ('{speaker}'); give record text "
                "to the record's voice or to the person who said it"
            ),
        },
        about="""\
Two speakers are not people: the record's own narrating
voice (`voice: record`, e.g. "Attended: …", "Shah stays silent for some time") and the game's
narrator (`voice: narrator`, shown to players as "Narrator (game)"). The record's voice may only
speak `provenance: record` text, so nothing invented or summarised ever appears as if the
memorandum said it. The narrator, the other way round, never speaks record text: give that to
the record's voice or to the person who said it.""",
        examples=(
            Example(case='E207', content='      - {id: close.l1, speaker: record, provenance: invented, text: "The conversation ends.", if: "not tea"}', line="dialogue/mini/common/main.yaml:25:9: E207 'close.l1' is invented text in the record's voice ('record'); the record speaks only its own words: give it to the game's narrator"),
        ),
        fix='`speaker: narrator` for summaries and invented narration.',
    ),
    Code(
        'E301', ERROR, 'Expression syntax error',
        messages={
            'character': "in {kind} '{source}': unexpected character '{char}'{at}",
            'unexpected': "in {kind} '{source}': unexpected '{token}'{at}",
            'assign': "in {kind} '{source}': use '==' to compare ('=' assigns, in effects only){at}",
            'keyword': "in {kind} '{source}': '{token}' cannot stand here{at}",
            'bracket': "in {kind} '{source}': expected ')'{at}",
            'early': "in {kind} '{source}': expression ends too early{at}",
            'target': "in {kind} '{source}': an effect starts with a variable name{at}",
            'operator': "in {kind} '{source}': expected '=', '+=' or '-=' after the variable{at}",
        },
        about="""\
A condition or effect that cannot be read. The column inside the
expression is given.""",
        examples=(
            Example(case='E301', content='      - {id: close.l1, …, if: "not tea and"}', line="dialogue/mini/common/main.yaml:25:101: E301 in condition 'not tea and': expression ends too early (column 12)"),
        ),
    ),
    Code(
        'E302', ERROR, 'Undeclared variable',
        messages={
            'variable': "in {kind} '{source}': variable '{name}' is not declared{at}",
        },
        about='Conditions and effects may only use variables declared in the manifest.',
        examples=(
            Example(case='E302', content='      - {id: close.l1, …, if: "not coffee"}', line="dialogue/mini/common/main.yaml:25:101: E302 in condition 'not coffee': variable 'coffee' is not declared"),
        ),
    ),
    Code(
        'E303', ERROR, 'Type mismatch',
        messages={
            'operand': "in {kind} '{source}': '{op}' needs {want}, not {found}{at}",
            'sides': "in {kind} '{source}': '{op}' needs {want} on both sides, not {found}{at}",
            'enum': "in {kind} '{source}': '{value}' is not {enum}{at}",
            'compare': "in {kind} '{source}': cannot compare {left} with {right}{at}",
            'enums': "in {kind} '{source}': cannot compare variables of different enum types{at}",
            'condition': "in {kind} '{source}': a condition must be true or false, not {found}{at}",
            'target': "in {kind} '{source}': '{op}' needs an int variable; '{name}' is {found}{at}",
        },
        about="""\
Comparing an int with a bool, `and` on numbers, a value that is not one of an
enum's values, a condition that is not true/false, `+=` on a bool.""",
        examples=(
            Example(case='E303', content='      - {id: close.l1, …, if: "mood == \'happy\'"}', line="dialogue/mini/common/main.yaml:25:101: E303 in condition 'mood == 'happy'': 'happy' is not one of 'calm', 'cross'"),
        ),
    ),
    Code(
        'E304', ERROR, 'Unknown function or bad argument',
        messages={
            'unknown': "in {kind} '{source}': unknown function '{name}' (there are {names}){at}",
            'argument': "in {kind} '{source}': {name}() takes one quoted id{at}",
            'id': "in {kind} '{source}': {name}('{arg}'): no {arg_kind} has this id{at}",
            'ends': (
                "ending '{ident}': ends() cannot be used in an ending's own 'when' (it asks which ending "
                'the conditions give)'
            ),
        },
        about="""\
The functions are `visited('node-id')` and
`chose('option-id')`, each with one quoted id that must exist.""",
        examples=(
            Example(case='E304', content='      - {id: close.l1, …, if: "visited(\'nowhere\')"}', line="dialogue/mini/common/main.yaml:25:101: E304 in condition 'visited('nowhere')': visited('nowhere'): no node has this id"),
        ),
    ),
    Code(
        'E305', ERROR, 'Invalid variable declaration',
        messages={
            'type': "type '{type}' of '{name}' is not bool, int or enum",
            'default': "default of '{name}' must be {allowed}",
            'bounds': "int variable '{name}' needs 'min' and 'max' with min <= max",
            'values': "enum '{name}' needs 'values': a list of different ids",
        },
        about="""\
An unknown type, an int without `min`/`max`, a default outside
the bounds or not among an enum's values.""",
        examples=(
            Example(case='E305', content='  - {id: warmth, type: int, default: 5, min: -2, max: 2}', line="scenarios/mini/scenario.yaml:29:38: E305 default of 'warmth' must be a whole number from -2 to 2"),
        ),
    ),
    Code(
        'E306', ERROR, 'Expression nested too deeply',
        messages={
            'depth': "in {kind} '{source}': parentheses, 'not' and '-' nest more than {limit} deep{at}",
        },
        about="""\
Parentheses, `not` and unary `-` nest at most 32 levels deep
in one condition or effect (no real condition needs more than three or four).""",
        examples=(
            Example(case='E306', content='      - {id: close.l1, …, if: "(((((((((((((((((((((((((((((((((not tea)))))))))))))))))))))))))))))))))"}', line="dialogue/mini/common/main.yaml:25:101: E306 in condition '(((((((((((((((((((((((((((((((((not tea)))))))))))))))))))…': parentheses, 'not' and '-' nest more than 32 deep (column 33)"),
        ),
    ),
    Code(
        'E307', ERROR, 'Expression too long',
        messages={
            'length': (
                "in {kind} '{source}': the expression is {length:,} characters long; the limit is {limit} "
                '(split it, or use a variable){at}'
            ),
        },
        about="""\
A condition or effect is at most 500 characters long (the longest in
the shipped scenario has 95).""",
        examples=(
            Example(case='E307', content='      - {id: close.l1, …, if: "warmth + warmth + … + warmth > 0"}', line="dialogue/mini/common/main.yaml:25:101: E307 in condition 'warmth + warmth + warmth + warmth + warmth + warmth + warmt…': the expression is 505 characters long; the limit is 500 (split it, or use a variable) (column 501)"),
        ),
        fix='keep a running total in a variable with effects, and test that.',
    ),
    Code(
        'E401', ERROR, 'Unreachable node',
        messages={
            'node': "node '{node}' cannot be reached from any path's start",
        },
        about="No path's start leads to this node by any jump, so no player can ever see it.",
        examples=(
            Example(case='E401', content="""\
  - id: extra          # nothing jumps here
    lines: [ … ]
    goto: close""", line="dialogue/mini/common/main.yaml:28:5: E401 node 'extra' cannot be reached from any path's start"),
        ),
    ),
    Code(
        'E402', ERROR, 'No ending reachable',
        messages={
            'node': "no ending can be reached from node '{node}'",
            'never': (
                "no ending can be reached from node '{node}': every way to an ending passes a condition "
                'that can never hold (it would run forever)'
            ),
        },
        about="""\
From this node no sequence of jumps reaches an `end`: a player who gets
here can never finish.""",
        examples=(
            Example(case='E402', content="""\
  - id: host.cross
    lines: [ … ]
    goto: host.cross""", line="dialogue/mini/host/cross.yaml:2:5: E402 no ending can be reached from node 'host.cross'"),
            Example(case='E402-never', before="""\
A way out that depends on a condition that can never hold does not count: `if: "false"`,
`"not true"`, `"1 > 2"`, or `"warmth > 5"` when `warmth` is declared from -2 to 2. Such a loop
passes every other check and then talks for ever; the message says so.""", content="""\
  - id: host.cross
    lines: [ … ]
    branch:
      - {if: "false", goto: close}
      - {goto: host.cross}""", line="dialogue/mini/host/cross.yaml:2:5: E402 no ending can be reached from node 'host.cross': every way to an ending passes a condition that can never hold (it would run forever)", after="""\
Conditions the checker cannot decide (they depend on what the player chose) are assumed to hold
some time. As a last guard, a session that says 10,000 lines without giving the player a choice
is stopped with a message."""),
        ),
    ),
    Code(
        'E403', ERROR, 'All options can be disabled',
        messages={
            'choice': (
                "every option of '{choice}' can be disabled at once, e.g. when {example}; give one option "
                "no 'if'"
            ),
        },
        about="""\
Every option of the choice point has an `if`, and for some values
of the variables they are all false: the player would face a choice with nothing to choose. The
checker tries the combinations of the variables involved that matter, and shows one. Int
variables are never enumerated: a comparison with constants changes only at one threshold, so the
bounds and the values around each threshold stand for the whole range (0 to 10¹⁴ costs no more
than 0 to 2). Where a condition compares two int variables and their ranges are large, or the
combinations are too many, the checker says it cannot prove an option is always offered.""",
        examples=(
            Example(case='E403', content="""\
        - {id: c-tea.none, …, if: "warmth > 0", …}
        - {id: c-tea.tea,  …, if: "warmth < 0", …}""", line="dialogue/mini/common/main.yaml:16:7: E403 every option of 'c-tea' can be disabled at once, e.g. when warmth = 0; give one option no 'if'"),
        ),
    ),
    Code(
        'E404', ERROR, 'Not exactly one historical option',
        messages={
            'count': (
                "choice point '{choice}' has {count} historical options; exactly one must be 'historical: "
                "true' (or mark the moment 'off_record: true')"
            ),
            'off_record': (
                "'{choice}' is off the record, so none of its options is historical; mark what the game "
                "says when nobody plays this side with 'default: true'"
            ),
            'defaults': (
                "off-record choice point '{choice}' has {count} options with 'default: true'; exactly one "
                'must have it'
            ),
            'default': "'default' is for off-record moments only; '{choice}' has a historical option",
            'option': "'{option}' is historical; 'default' is for off-record moments",
        },
        about="""\
Each choice point has exactly one option with
`historical: true`: the one the record shows. Where the record shows silence, silence is that
option. A moment that exists only after the talks have left the record (an invented demand, say)
is marked `off_record: true` on the choice point: then no option is historical, and exactly one
option has `default: true` — what the game has that side say when nobody plays it. Off-record
moments are not counted in the record match, and the debrief says they are not in the record.""",
        examples=(
            Example(case='E404', line="dialogue/mini/common/main.yaml:16:7: E404 choice point 'c-tea' has 2 historical options; exactly one must be 'historical: true' (or mark the moment 'off_record: true')"),
        ),
    ),
    Code(
        'E405', ERROR, 'Too few options',
        messages={
            'options': "choice point '{choice}' needs at least 2 options",
        },
        about='A choice point needs at least two options.',
        examples=(
            Example(case='E405', line="dialogue/mini/common/main.yaml:21:9: E405 choice point 'c-tea' needs at least 2 options"),
        ),
    ),
    Code(
        'E406', ERROR, 'Node exit missing or ambiguous',
        messages={
            'exits': "node '{node}' has {found}; give exactly one of goto, choice, branch, end",
        },
        about="""\
A node ends with exactly one of `goto`, `choice`, `branch`
or `end`.""",
        examples=(
            Example(case='E406', content="""\
  - id: host.cross
    lines: [ … ]
    end: auto
    goto: close""", line="dialogue/mini/host/cross.yaml:2:5: E406 node 'host.cross' has more than one exit (goto, end); give exactly one of goto, choice, branch, end"),
        ),
    ),
    Code(
        'E407', ERROR, 'Labels on some options only',
        messages={
            'labels': "in '{choice}' some options have a 'label' and some do not; give all or none",
        },
        about="""\
Options may have a short `label` for their button. If one option
of a choice point has one, all must: otherwise the record's wording would stand out.""",
        examples=(
            Example(case='E407', line="dialogue/mini/common/main.yaml:16:7: E407 in 'c-tea' some options have a 'label' and some do not; give all or none"),
        ),
    ),
    Code(
        'E409', ERROR, 'Branch without a fallback',
        messages={
            'last': "the last arm of a branch must have no 'if' (it is the fallback)",
            'early': "only the last arm of a branch may lack an 'if'",
            'empty': 'a branch needs at least one arm',
        },
        about="""\
In a `branch` exit every arm but the last has an `if`; the last has
none, so the branch always goes somewhere.""",
        examples=(
            Example(case='E409', content="""\
    branch:
      - {if: "tea", goto: close}""", line="dialogue/mini/host/cross.yaml:6:9: E409 the last arm of a branch must have no 'if' (it is the fallback)"),
        ),
    ),
    Code(
        'E410', ERROR, 'Loop with nothing to say',
        messages={
            'cycle': 'these nodes jump in a circle without a line or a choice: {cycle}',
        },
        about="""\
Nodes that jump in a circle without a line or a choice between
them: the game would spin for ever.""",
        examples=(
            Example(case='E410', content="""\
  - id: host.wait
    branch:
      - {if: "tea", goto: close}
      - {goto: host.wait2}
  - id: host.wait2
    goto: host.wait""", line='dialogue/mini/host/wait.yaml:2:5: E410 these nodes jump in a circle without a line or a choice: host.wait → host.wait2 → host.wait'),
        ),
    ),
    Code(
        'E412', ERROR, 'Historical option not from the record',
        messages={
            'invented': (
                "'{option}' is the historical option, but its text is invented: what the record shows "
                "must be record or adapted text (or mark the moment 'off_record: true')"
            ),
        },
        about="""\
The option marked `historical: true` is the moment as
the record shows it, so its text must be `record` or `adapted` from the paragraphs it cites. An
invented historical option would present a guess as history, and "same as the record" in the
debrief would be untrue. Where the record has no such moment, mark the choice point
`off_record: true` (see E404).""",
        examples=(
            Example(case='E412', content='        - {id: c-tea.tea, label: "Offer tea", provenance: invented, text: "Then let us drink tea.", historical: true, …}', line="dialogue/mini/common/main.yaml:22:11: E412 'c-tea.tea' is the historical option, but its text is invented: what the record shows must be record or adapted text (or mark the moment 'off_record: true')"),
        ),
    ),
    Code(
        'E501', ERROR, 'Scenario missing',
        messages={
            'none': 'no scenario found: expected {folder}/<id>/{manifest}',
            'id': "no scenario with id '{ident}'",
        },
        about="""\
The content folder has no `scenarios/<id>/scenario.yaml` (or `--scenario`
names one that does not exist).""",
        examples=(
            Example(case='E501', line='scenarios:1:1: E501 no scenario found: expected scenarios/<id>/scenario.yaml'),
        ),
    ),
    Code(
        'E502', ERROR, 'Source file missing',
        messages={
            'missing': "the {which} source '{name}' is not in {folder}",
        },
        about="""\
The manifest's `source.received` or `source.clean` is not in the
scenario's folder.""",
        examples=(
            Example(case='E502', line="scenarios/mini/scenario.yaml:7:13: E502 the received source 'received.txt' is not in scenarios/mini"),
        ),
    ),
    Code(
        'E503', ERROR, 'Clean source differs from the received source',
        messages={
            'paragraph': '¶{number} is not word for word the received source: {difference}',
        },
        about="""\
`source.md`, read paragraph by paragraph, must
be word for word the received source; only line breaks and page-break spaces may differ. The
first paragraph that departs is named, with the text on both sides (white space removed).""",
        examples=(
            Example(case='E503', lang='', content='¶4 Host. Then let us drink coffee.', line="scenarios/mini/source.md:9:1: E503 ¶4 is not word for word the received source: 'Host.Thenletusdrinkcoffee.' against 'Host.Thenletusdrinktea.'"),
        ),
    ),
    Code(
        'E504', ERROR, 'Endings malformed',
        messages={
            'fallback': "the last ending is the fallback and must have no 'when'",
            'when': "ending '{ending}' has no 'when'; only the last ending may lack one",
            'historical': "exactly one ending must be 'historical: true'",
        },
        about="""\
Endings are tried in order; every ending but the last has a `when`, the
last has none (the fallback), and exactly one is `historical: true`.""",
        examples=(
            Example(case='E504', line="scenarios/mini/scenario.yaml:37:51: E504 the last ending is the fallback and must have no 'when'"),
        ),
    ),
    Code(
        'E505', ERROR, 'Path malformed',
        messages={
            'start': "path '{path}' starts at '{start}', which is not a node",
            'full': "there must be a path with id 'full'",
            'kiosk': "kiosk path '{path}' is not a path of {scenario}",
        },
        about='A path starts at a node that does not exist, or there is no path `full`.',
        examples=(
            Example(case='E505', line="scenarios/mini/scenario.yaml:33:43: E505 path 'full' starts at 'begin', which is not a node"),
        ),
    ),
    Code(
        'E506', ERROR, 'source.md malformed',
        messages={
            'start': "a paragraph must start with its id, like '¶12 '",
            'order': 'paragraph ¶{number} where ¶{expected} was expected',
            'none': "no paragraphs found (each block starts with '¶1 ', '¶2 ', …)",
        },
        about="""\
Every paragraph block starts with its id, and ids run ¶1, ¶2, … without
gaps. Blocks starting with `#` are comments.""",
        examples=(
            Example(case='E506', line='scenarios/mini/source.md:7:1: E506 paragraph ¶5 where ¶3 was expected'),
        ),
    ),
    Code(
        'E507', ERROR, 'Scenario id does not match its folder',
        messages={
            'folder': "id '{ident}' differs from its folder name '{folder}'",
        },
        about="""\
The manifest's `id` must equal the name of its folder
under `scenarios/` (and of its folder under `dialogue/`).""",
        examples=(
            Example(case='E507', line="scenarios/mini/scenario.yaml:2:5: E507 id 'maxi' differs from its folder name 'mini'"),
        ),
    ),
    Code(
        'E508', ERROR, 'Unknown ending',
        messages={
            'ending': "'end: {ending}' names no ending (use 'auto' or one of {endings})",
        },
        about='`end:` is `auto` or the id of an ending in the manifest.',
        examples=(
            Example(case='E508', line="dialogue/mini/host/cross.yaml:2:5: E508 'end: sulk' names no ending (use 'auto' or one of cross, nothing, tea)"),
        ),
    ),
    Code(
        'E509', ERROR, 'No dialogue',
        messages={
            'none': 'no dialogue files in {folder}',
        },
        about='The scenario has no dialogue files in `dialogue/<id>/`.',
        examples=(
            Example(case='E509', line='scenarios/mini/scenario.yaml:1:1: E509 no dialogue files in dialogue/mini'),
        ),
    ),
    Code(
        'E510', ERROR, 'Unsupported format version',
        messages={
            'format': '{what}format {version} is not supported (this engine reads format {supported})',
        },
        about="The manifest's `format` is one this engine does not read.",
        examples=(
            Example(case='E510', line='scenarios/mini/scenario.yaml:1:9: E510 format 2 is not supported (this engine reads format 1)'),
        ),
    ),
    Code(
        'E511', ERROR, 'Glossary entry matches no line',
        messages={},
        about="""\
A glossary entry whose term and aliases appear in no line or
option: an error in earlier versions.""",
        retired=(
            "such an entry is now the warning `W004`, since the content still plays (no player would "
            "find the entry, that is all). E511 is never issued again and never given another meaning."
        ),
    ),
    Code(
        'E512', ERROR, 'Unknown source',
        messages={
            'source': "source '{ref}' is neither a paragraph like ¶12 nor an id in sources.yaml{hint}",
        },
        about="""\
Every item of a `sources` list (objectives, endings, the outcome, history,
glossary entries, choice points) is either a paragraph of the record (`¶12`) or the id of an
entry in the scenario's `sources.yaml`, which holds the full citation players see (author or
publisher, title, date, volume or document number) and feeds the Sources page. Free text is not
allowed: a player must never see a citation that leads nowhere.""",
        examples=(
            Example(case='E512', content="""\
# scenarios/mini/sources.yaml
sources:
  - {id: tea-book, cite: "A. Author, A Book about Tea (Tea Press, 1950), p. 12"}
# the ending:
  - {id: tea, …, sources: [tea-bok]}""", line="scenarios/mini/scenario.yaml:36:132: E512 source 'tea-bok' is neither a paragraph like ¶12 nor an id in sources.yaml (did you mean 'tea-book'?)"),
        ),
    ),
    Code(
        'E513', ERROR, 'Presentation does not fit the scenario',
        messages={
            'not_speaker': "{what} '{ident}' is not a speaker of this scenario{why}",
            'narrator_voice': "narrator '{ident}' has voice {voice}; the narrator is a speaker with 'voice: narrator'",
            'not_listed': "{what} '{ident}' is not a {thing} of this scenario ({known})",
            'side_twice': "side '{side}' is listed twice (first at line {first})",
            'voice': "'{ident}' is the {voice}'s voice, not a person at the table; it has no seat",
            'other_side': "'{ident}' sits on side '{side}', not on side '{seat_side}'",
            'seated': "'{ident}' already has a seat (line {first})",
        },
        about="""\
The `presentation` block names something the
scenario does not have, or puts it where it cannot be: a seat for someone who is not a speaker
(people who only attended get a `name` and no `speaker`), for the record's or the narrator's
voice, for a speaker of the other side, or a second seat for one speaker; a side that is not a
role, or is listed twice; a `narrator` that is not a speaker with `voice: narrator`; a kiosk
`path` or `roles` item that is not a path or role of the scenario (or `both`).""",
        examples=(
            Example(case='E513', content="""\
  seating:
    sides:
      - side: guest
        rows:
          - [guest, stalin]""", line="scenarios/mini/scenario.yaml:56:21: E513 seat 'stalin' is not a speaker of this scenario (someone who only attended has a 'name' and no 'speaker')"),
        ),
        fix="""\
name a speaker of the manifest's `speakers`, or give someone who only attended a card:
`{name: "Stalin"}`.""",
    ),
    Code(
        'E514', ERROR, 'Image missing',
        messages={
            'image': "image '{name}' is neither in {folder} nor one of the game's own pictures (art/out)",
        },
        about="""\
A picture named in the `presentation` block is neither in the scenario's
folder (a path relative to the manifest, inside the content folder) nor one of the game's own
pictures in `art/out` (a plain file name such as `flag_ussr.png`, made by `art/make_art.py`).""",
        examples=(
            Example(case='E514', content='        flag: flag_coffee.png', line="scenarios/mini/scenario.yaml:51:15: E514 image 'flag_coffee.png' is neither in scenarios/mini nor one of the game's own pictures (art/out)"),
        ),
        fix='put the PNG beside the manifest (`scenarios/<id>/`), or correct its name.',
    ),
    Code(
        'E515', ERROR, 'Ending contradicts an objective',
        messages={
            'reached': "ending '{ending}' is reached with objective '{objective}' {verdict}: e.g. {example}",
            'forced': (
                "node '{node}' forces ending '{ending}' (skipping its 'when') with objective "
                "'{objective}' {verdict}: e.g. {example} can hold here"
            ),
        },
        about="""\
An ending's `objectives` say which objectives it implies
(`met`) or rules out (`not met`), so that the debrief never shows, say, "A promise to leave the
pact" beside "Keep Iran in the pact: met". `validate` proves each of these claims:

- **`end: auto`** tries the endings in order. The checker tries every combination of the values
  that the earlier endings' `when`, this ending's `when` and the objective's `met` read, not only
  those a session happens to reach (int variables by the values around each threshold, as for
  `E403`). A combination in which this ending is the one reached and the objective says otherwise
  is reported, with that combination.
- **`end: <id>`** forces the ending and skips its `when`. There the claim must hold for the values
  the variables can have at that node: the checker follows every path's start through every
  effect, narrowed by the conditions of branch arms, options and lines, each variable on its own.
  It never misses a value a session can reach; but it does not know that two variables move
  together, so now and then it shows a combination no session reaches. The cure is the same
  either way: set what the ending needs in the node's `effects` (a break that sets
  `press = 'cold'` makes its ending's `when` true as well), or change the claim.""",
        examples=(
            Example(case='E515', content='  - {id: cross, title: "A cross parting", when: "mood == \'cross\'", …, objectives: {host.tea: not met}}', line="scenarios/mini/scenario.yaml:35:133: E515 ending 'cross' is reached with objective 'host.tea' met, which it rules out: e.g. mood = 'cross', tea = true"),
            Example(case='E515-forced', before='A break that forces the ending `tea` (`end: tea` in node `host.cross`, where no tea was served):', line="dialogue/mini/host/cross.yaml:2:5: E515 node 'host.cross' forces ending 'tea' (skipping its 'when') with objective 'host.tea' not met, which the ending implies: e.g. tea = false can hold here"),
        ),
        fix="""\
narrow the ending's `when` (`when: "mood == 'cross' and not tea"`), set the variables in the
breaking node's `effects`, or drop the claim.""",
    ),
    Code(
        'E516', ERROR, 'Unknown objective',
        messages={
            'objective': "ending '{ending}' names objective '{objective}', which no role has{hint}",
        },
        about="""\
Every key of an ending's `objectives` is the id of an objective of one of
the roles.""",
        examples=(
            Example(case='E516', content='  - {id: tea, …, objectives: {host.teas: met}}', line="scenarios/mini/scenario.yaml:36:156: E516 ending 'tea' names objective 'host.teas', which no role has (did you mean 'host.tea'?)"),
        ),
    ),
    Code(
        'W001', WARNING, 'Junk file skipped',
        messages={
            'file': 'skipped: {kind}, not content',
            'folder': 'skipped: a folder of {kind}, not content',
        },
        about="""\
A file that looks like content but is a leftover of another
program is skipped: macOS metadata (`._main.yaml`, and the `__MACOSX` folder of a zip made on a
Mac), an Emacs lock (`.#main.yaml`), an Office or LibreOffice lock (`~$main.yaml`,
`.~lock.main.yaml#`), any other hidden `.*.yaml`. Hidden folders (`.git`, `.Trashes`) are
skipped without a word.""",
        examples=(
            Example(case='W001', line='dialogue/mini/common/._main.yaml:1:1: W001 skipped: a macOS metadata file, not content'),
        ),
        fix='nothing is needed; delete the file to silence the warning.',
    ),
    Code(
        'W002', WARNING, 'File name almost a content file',
        messages={
            'suffix': "not read: only names ending in '{suffix}' are content files (rename it '{meant}' if it is one)",
            'side_file': "not read: did you mean '{meant}'? Content files are named exactly '{meant}'",
        },
        about="""\
Only names ending exactly in `.yaml` are
content files. A name that is nearly one (`Extra.YAML`, `extra.yml`, `extra.yaml.txt`, a
trailing space or dot; in a scenario folder `Glossary.yaml` or `glossary.yml`) is not read, and
this warning says so, because the author surely meant it to be.""",
        examples=(
            Example(case='W002', line="dialogue/mini/common/Extra.YAML:1:1: W002 not read: only names ending in '.yaml' are content files (rename it 'Extra.yaml' if it is one)"),
        ),
        fix='rename the file (or move it out of the content folder).',
    ),
    Code(
        'W003', WARNING, 'Objectives of an ending not fully checked',
        messages={
            'combinations': (
                'could not check all {full:,} combinations of values for {what} (tried {tried:,}); a '
                'contradiction may be missed: let the conditions read fewer variables, or compare each '
                'with a constant'
            ),
            'budget': (
                'could not check {what} (tried 0){more}: the budget of work of this check and E403 is '
                'spent; a contradiction may be missed: let the conditions read fewer variables, or have '
                'fewer endings and claims'
            ),
            'flow': (
                "could not check the endings forced at {count:,} {nodes} (from node '{node}'): working "
                'out the values the variables can have there would take more than {limit:,} steps; a '
                'contradiction may be missed: let the objectives these endings claim read fewer variables'
            ),
        },
        about="""\
The check of `E515` tries at most
100,000 combinations for one claim, and shares a budget of work with `E403` (combinations times
the characters of the conditions, `MAX_CASES` and `MAX_CASE_WORK` in `game/engine/limits.py`),
so `validate` never hangs. Where a claim needs more, or its conditions compare two int variables
whose ranges are too large to try in full, the checker tries what it can, reports any
contradiction it finds, and says what it could not try. Once the budget is spent (thousands of
endings with long conditions), one warning counts the claims left unchecked, not one each:
`… W003 could not check ending 'e52' and objective 'host.tea' (tried 0) nor 5,897 more claims of
the endings: the budget of work of this check and E403 is spent; …`. Working out the values
where a node forces an ending follows the graph with only the variables the claimed objectives
read (and those they are set from); past `MAX_FLOW_WORK` steps (node visits times variables
followed) one warning says so and those endings are not checked.""",
        examples=(
            Example(case='W003', content="""\
  - {id: cups, type: int, default: 0, min: 0, max: 1000000}
  …
      - {id: host.tea, text: "Serve tea.", met: "tea and cups + 2 >= warmth"}""", line="scenarios/mini/scenario.yaml:37:156: W003 could not check all 20,000,020 combinations of values for ending 'tea' and objective 'host.tea' (tried 16); a contradiction may be missed: let the conditions read fewer variables, or compare each with a constant"),
        ),
        fix='compare each variable with a constant (`cups >= 0 and warmth <= 2`), or read fewer variables.',
    ),
    Code(
        'W004', WARNING, 'Glossary entry matches no line',
        messages={
            'unused': "glossary entry '{entry}' ({names}) appears in no line or option",
        },
        about="""\
Every glossary entry is linked to the lines whose text
contains its term or an alias (whole words, any case). An entry that appears nowhere would never
be found by a player; the content still plays. (Until this was a warning it was E511.)""",
        examples=(
            Example(case='W004', content="""\
entries:
  - {id: samovar, term: "samovar", text: "An urn for tea.", sources: ["¶4"]}""", line="scenarios/mini/glossary.yaml:2:5: W004 glossary entry 'samovar' (samovar) appears in no line or option"),
        ),
        fix="use the term in a line, add the word the lines use as an alias, or delete the entry.",
    ),
)

BY_CODE: dict[str, Code] = {c.code: c for c in DEFINITIONS}
