"""Run as a separate process by test_rendering: renders certificates from 8 threads at once, both
paths, starting cold (no font or layout cache yet), then prints how many valid PDFs it made.

A process whose threads share WeasyPrint's font configuration unprotected can hang in Pango's line
breaking, so the test runs this with a timeout instead of inside the test process."""

import os
import sys
import threading
from pathlib import Path

THREADS = 8
ROUNDS = 2


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    import django

    django.setup()
    from certificates import rendering
    from tests.certificates.test_rendering import SHARED, fields

    barrier = threading.Barrier(THREADS)
    outputs: list[bytes] = []
    errors: list[str] = []

    def render(number: int) -> None:
        try:
            barrier.wait(timeout=30)
            for round_ in range(ROUNDS):
                first = number * 100 + round_ * 10
                outputs.append(rendering.certificate_pdf_render(shared=SHARED, fields=fields(first)))
                outputs.extend(
                    rendering.certificate_pdfs_render_batch(
                        shared=SHARED, fields_list=[fields(first + i) for i in range(1, 4)]
                    )
                )
        except Exception as error:  # reported on stdout and failed by the test
            errors.append(repr(error))

    threads = [threading.Thread(target=render, args=(number,)) for number in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    valid = sum(1 for data in outputs if data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"))
    print(f"pdfs={valid} errors={errors}")


if __name__ == "__main__":
    main()
