"""Helpers that write the demo's stream blocks as (block type, value) pairs.

Images and documents are referred to by a key of `courses.demo.media`; the seeder resolves the keys
to the objects it creates, and gives every block, list item, question and choice a stable id.
"""


def text(html: str) -> tuple:
    return ("rich_text", html.strip())


def tip(body: str, title: str = "") -> tuple:
    return ("callout", {"kind": "tip", "title": title, "text": body.strip()})


def warning(body: str, title: str = "") -> tuple:
    return ("callout", {"kind": "warning", "title": title, "text": body.strip()})


def facilitator(body: str, title: str = "") -> tuple:
    return ("callout", {"kind": "facilitator", "title": title, "text": body.strip()})


def checklist(title: str, items: list[str]) -> tuple:
    return ("checklist", {"title": title, "items": items})


def image(key: str, alt_text: str, caption: str = "") -> tuple:
    return ("image", {"image": key, "alt_text": alt_text, "caption": caption})


def document(key: str, title: str = "", description: str = "", offline: bool = True) -> tuple:
    # The demo's handouts are one page each: cheap enough to go with a course saved for offline.
    return ("document", {"document": key, "title": title, "description": description, "offline": offline})


def question(text: str, choices: list[tuple[str, bool]], explanation: str, kind: str = "single") -> dict:
    return {
        "text": text,
        "kind": kind,
        "choices": [{"text": choice, "correct": correct} for choice, correct in choices],
        "explanation": explanation,
    }


def quiz(
    title: str, questions: list[dict], intro: str = "", pass_mark=None, max_attempts=None, draw_count=None
) -> tuple:
    """A quiz block; `draw_count` draws that many of the questions for each attempt (a pool)."""
    return (
        "quiz",
        {
            "title": title,
            "intro": intro,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "draw_count": draw_count,
            "shuffle_choices": True,
            "questions": questions,
        },
    )
