"""What a case of tests/attribution/cases/ cannot say: a quote checked by where it ends alone.

Every other construction is a line of tests/attribution/cases/{id,en}.jsonl (test_cases.py).
"""

from __future__ import annotations

from tests.support.attribution import predicted


def test_as_someone_put_it_the_quote_runs_to_its_closing_mark() -> None:
    # where the content starts is wrong today (an xfail case of en.jsonl has the right start);
    # where it ends, with the cue and the speaker, is right and kept
    text = (
        "The network has critics. As Ms. Lopez put it in a statement in July, the channel is "
        '"providing a perspective you won\'t get from the mainstream press."'
    )
    (q,) = [q for q in predicted(text, "en") if q.type in ("direct", "mixed")]
    assert q.cue.text == "put it" and "Lopez" in q.speaker.mention.text
    assert q.end == len(text)
