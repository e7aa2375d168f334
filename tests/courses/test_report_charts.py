"""The count charts of the reports: whole-number axes (never 0.2 of a trainer) written as on screen
("1.000"), and every legend entry inside the drawing."""

import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import translation

from courses.reports import charts


def _texts(svg: str) -> list[str]:
    return [text.strip() for text in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def _height(svg: str) -> float:
    return float(re.search(r'viewBox="0 0 [\d.]+ ([\d.]+)"', svg).group(1))


def _province(completed, in_progress, not_started, label="Jawa Timur"):
    return SimpleNamespace(label=label, completed=completed, in_progress=in_progress, not_started=not_started)


def _weeks(enrolments):
    start = date(2026, 11, 2)
    return [
        SimpleNamespace(week=start + timedelta(days=7 * n), enrolments=count, completions=0, certificates=0)
        for n, count in enumerate(enrolments)
    ]


def _funnel(reached, finished, passed):
    return SimpleNamespace(
        modules=[SimpleNamespace(title="Modul 1", reached=reached, finished=finished, passed=passed)],
        wrong_questions=[],
    )


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    "svg",
    [
        pytest.param(lambda: charts.province_chart([_province(1, 1, 0)]), id="province"),
        pytest.param(lambda: charts.funnel_chart(_funnel(2, 1, 1)), id="funnel"),
        pytest.param(lambda: charts.activity_chart(_weeks([0, 2, 1])), id="activity"),
    ],
)
def test_small_counts_get_whole_number_ticks(svg):
    texts = _texts(svg())
    assert not [text for text in texts if re.fullmatch(r"\d+[.,]\d", text)], texts
    assert {"0", "1", "2"} <= set(texts)


def test_large_counts_are_grouped_as_on_screen():
    texts = _texts(charts.province_chart([_province(2000, 1500, 1100), _province(3, 9, 1, label="Bali")]))
    assert {"0", "1.000", "2.000", "5.000"} <= set(texts)
    texts = _texts(charts.activity_chart(_weeks([0, 37, 148])))
    assert {"0", "50", "100", "150"} <= set(texts)


def test_the_province_legend_fits_in_the_drawing():
    svg = charts.province_chart([_province(1, 1, 0)])
    offset, legends = re.search(
        r'<g transform="translate\([\d.]+, ([\d.]+)\)" class="legends">(.*?)</g></g>', svg
    ).groups()
    entries = re.findall(r'<text x="([\d.]+)" y="([\d.]+)">([^<]*)</text>', legends)
    assert [text for _, _, text in entries] == ["Selesai", "Sedang berjalan", "Belum mulai"]
    assert float(offset) + max(float(y) for _, y, _ in entries) < _height(svg)
    # No more than two entries share a row: three do not fit beside each other at this width.
    rows = {}
    for _, y, text in entries:
        rows.setdefault(y, []).append(text)
    assert max(len(row) for row in rows.values()) <= 2
