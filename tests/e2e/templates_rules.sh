#!/bin/sh
# One case per template rule corrected by issue 13: a folder the old rule
# judged wrongly now gets the exact finding and exit code the corrected rule
# gives. (The work is in py/template_rules.py.)
. tests/e2e/lib.sh
need_mkfixture || exit 1
LICPACK=$LICPACK LICPACK_WRAP=$LICPACK_WRAP MKFIXTURE=$MKFIXTURE python3 tests/e2e/py/template_rules.py
