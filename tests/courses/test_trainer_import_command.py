"""`manage.py import_trainers FILE [--dry-run] [--as USERNAME]`."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tests.courses.test_trainer_import import GOOD, csv_bytes, xlsx_bytes
from tests.factories import CoordinatorFactory, ServicePointFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def points(db):
    return {code: ServicePointFactory(code=code) for code in ("SP001", "SP002")}


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_trainers", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        return exit_.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_a_good_file_is_imported_with_national_scope_and_exit_0(points, tmp_path):
    path = tmp_path / "pelatih.xlsx"
    path.write_bytes(xlsx_bytes(GOOD))
    code, out, err = run(str(path))
    assert code == 0, err
    assert "3 baris: 3 akan dibuat, 0 akan diperbarui, 0 tidak berubah, 0 baris bermasalah." in out
    assert "Selesai: 3 dibuat, 0 diperbarui, 3 undangan dikirim." in out
    assert User.objects.filter(email__in=[row[1] for row in GOOD]).count() == 3

    code, out, _err = run(str(path))
    assert code == 0
    assert "0 akan dibuat, 0 akan diperbarui, 3 tidak berubah" in out
    assert User.objects.filter(email__in=[row[1] for row in GOOD]).count() == 3


def test_dry_run_checks_and_writes_nothing(points, tmp_path):
    path = tmp_path / "pelatih.csv"
    path.write_bytes(csv_bytes(GOOD, delimiter=";"))
    code, out, _err = run(str(path), "--dry-run")
    assert code == 0
    assert "Uji coba: tidak ada yang disimpan." in out
    assert not User.objects.filter(email="siti@example.org").exists()


def test_a_bad_row_prints_its_row_and_column_exits_1_and_imports_nothing(points, tmp_path):
    path = tmp_path / "pelatih.csv"
    path.write_bytes(csv_bytes([*GOOD, ["Tono", "tono@example.org", "", "SP404"]]))
    for args in ([str(path)], [str(path), "--dry-run"]):
        code, out, err = run(*args)
        assert code == 1
        assert "baris 5, kolom “service_point_code”: Titik layanan “SP404” tidak dikenal." in err
        assert "Tidak ada yang diimpor" in err
        assert "1 baris bermasalah" in out
    assert not User.objects.filter(email="siti@example.org").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "Berkas kosong."),
        (b"\x00\x01\x02", "Penyandian (encoding) berkas tidak dikenali"),
        (csv_bytes([]), "hanya berisi judul kolom"),
    ],
)
def test_a_bad_file_prints_its_message_and_exits_1(points, tmp_path, content, message):
    path = tmp_path / "berkas.csv"
    path.write_bytes(content)
    code, _out, err = run(str(path))
    assert code == 1
    assert message in err
    assert "Traceback" not in err


def test_a_missing_file_is_a_command_error(tmp_path):
    with pytest.raises(CommandError, match="tidak bisa dibuka"):
        call_command("import_trainers", str(tmp_path / "tidak-ada.csv"))


def test_as_a_coordinator_uses_their_scope(points, tmp_path):
    CoordinatorFactory(username="koor1", service_points=[points["SP001"]])
    path = tmp_path / "pelatih.csv"
    path.write_bytes(csv_bytes(GOOD))
    code, _out, err = run(str(path), "--as", "koor1")
    assert code == 1
    assert (
        "baris 4, kolom “service_point_code”: SP002: Titik layanan ini di luar wilayah tanggung jawab Anda."
        in err
    )
    assert not User.objects.filter(email="siti@example.org").exists()
    with pytest.raises(CommandError, match="Tidak ada koordinator"):
        call_command("import_trainers", str(path), "--as", "tidak-ada")
