"""Every cap on untrusted content, in one place.

Content comes from teachers' USB sticks and shared drives. Each cap keeps one check of one folder
within 10 s and 1 GB on a school PC, whatever the files hold; each is far above what real content
needs (the shipped scenario uses a few per cent of each), and each has its own diagnostic code.
"""

from __future__ import annotations

# --- files (E004, E006, E007, E013) -------------------------------------------------------------
MAX_BYTES = 2 * 1024 * 1024          # one file
MAX_DEPTH = 64                       # YAML nesting of one file
MAX_VALUES = 200_000                 # values of one file, aliases expanded
MAX_TOTAL_BYTES = 8 * 1024 * 1024    # every file read from one content folder
MAX_TOTAL_VALUES = 500_000           # every value of every file of one content folder
MAX_FILES = 2_000                    # dialogue files of one scenario
MAX_ENTRIES = 10_000                 # names in one folder (files of any kind)
MAX_FOLDER_DEPTH = 16                # folders inside a scenario's dialogue folder

# --- numbers and expressions (E107, E306, E307) ---------------------------------------------------
MAX_DIGITS = 15                      # an integer anywhere: |n| < 10**15 (Python refuses 4,300+ digits)
MAX_EXPR_CHARS = 500                 # one condition or effect
MAX_EXPR_DEPTH = 32                  # nesting of parentheses, `not` and unary minus

# --- text (E109) ------------------------------------------------------------------------------------
MAX_SHORT_TEXT = 200                 # titles, names, labels, moments: one line on a screen
MAX_TEXT = 5_000                     # lines, notes, epilogues, glossary entries
MAX_PARAGRAPH = 10_000               # one paragraph of source.md
MAX_REFS = 20                        # paragraphs cited by one line or option (a summary of a passage cites each)
MAX_GLOSSARY = 2_000                 # entries of a glossary (E106) ...
MAX_ALIASES = 10                     # ... and other names of one entry
MAX_BLURB = 400                      # the title screens' paragraph about the scenario (about 8 lines)

# --- presentation (E106, E016) --------------------------------------------------------------------
MAX_SEAT_ROWS = 6                    # rows of seats in the seating plan, all sides together
MAX_SEATS_PER_ROW = 8                # seats in one row (a card stays readable on a 720p screen)
MAX_IMAGE_SIDE = 4096                # pixels of a flag or emblem, each way (decoded, a PNG is w*h*4 bytes)

# --- checks and play ---------------------------------------------------------------------------------
MAX_CASES = 100_000                  # value combinations tried for one choice point (E403)
MAX_CASE_WORK = 10_000_000           # ... times the characters of its conditions, for all together
MAX_FLOW_WORK = 2_000_000            # node visits times variables followed, for the values where an ending is forced (E515)
MAX_VERBATIM_CHARS = 50_000_000      # cited text searched for all record lines together (E013)
MAX_CYCLES = 50                      # silent loops reported (E410); one is enough to fix
MAX_LINES_WITHOUT_CHOICE = 10_000    # a session that talks this long without a choice is stopped
