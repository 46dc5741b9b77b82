"""A disbursement file is written in short transactions under a staging batch readers do not see, then published
in one short transaction (ADR 0012): all or nothing for readers, killed imports cleaned up, one file at a time."""

import datetime as dt

import pytest

from dondoc.core.models import AuditEvent
from dondoc.investment import actions, queries
from dondoc.investment.importers import bulk, import_disbursements
from dondoc.investment.models import Disbursement, ImportBatch, Project

from .conftest import write_csv

pytestmark = pytest.mark.django_db

HEADER = ["STT", "Mã dự án", "Ngày thanh toán", "Số chứng từ", "Số tiền (đồng)"]
AS_OF = dt.date(2020, 12, 31)


def payments(tmp_path, n: int, bad_at: int | None = None):
    rows = [HEADER] + [[str(i), "7810657" if i % 2 else "7810658", "31/02/2020" if i == bad_at else "15/03/2020",
                        f"KB{i:06d}", f"{i}.000.000"] for i in range(1, n + 1)]
    return write_csv(tmp_path / "kb.csv", rows)


def visible(register) -> int:
    """What a reader sees: the disbursed sums of the two projects in the file."""
    return sum(queries.disbursed_amounts(2020, AS_OF, projects=[register["p1"], register["p2"]]).values())


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(bulk, "FLUSH_ROWS", 4)


def test_rows_written_in_chunks_stay_invisible_until_the_publish(register, tmp_path, small_chunks, monkeypatch):
    seen = []
    put = bulk.BulkWriter.put

    def spy(self, rows, short=False):
        put(self, rows, short)
        seen.append((Disbursement.all_objects.count(), Disbursement.objects.count(), visible(register),
                     register["p1"].disbursements.count()))

    monkeypatch.setattr(bulk.BulkWriter, "put", spy)
    out = import_disbursements(path=payments(tmp_path, 10))
    assert out.ok and out.created == 10
    assert [s[0] for s in seen] == [4, 8, 10]  # three transactions
    assert all(s[1:] == (0, 0, 0) for s in seen)  # nothing visible while staging, through any read
    assert visible(register) == sum(range(1, 11)) * 1_000_000 and Disbursement.objects.count() == 10
    batch = ImportBatch.objects.get()
    assert batch.state == "published" and batch.created == 10
    assert AuditEvent.objects.filter(kind="investment.import_disbursements").count() == 1


def test_an_invalid_row_after_some_chunks_leaves_nothing(register, tmp_path, small_chunks):
    out = import_disbursements(path=payments(tmp_path, 12, bad_at=11))
    assert not out.ok and out.errors[0].row == 12  # the header is row 1
    assert Disbursement.all_objects.count() == 0 and not ImportBatch.objects.exists()
    assert not AuditEvent.objects.filter(kind__startswith="investment.").exists()


def test_a_failure_in_the_middle_leaves_nothing_and_a_retry_imports_everything(register, tmp_path, small_chunks,
                                                                               monkeypatch):
    put = bulk.BulkWriter.put
    calls = []

    def failing(self, rows, short=False):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk full")
        put(self, rows, short)

    monkeypatch.setattr(bulk.BulkWriter, "put", failing)
    path = payments(tmp_path, 10)
    with pytest.raises(OSError):
        import_disbursements(path=path)
    assert Disbursement.all_objects.count() == 0 and not ImportBatch.objects.exists()
    monkeypatch.setattr(bulk.BulkWriter, "put", put)
    assert import_disbursements(path=path).created == 10
    again = import_disbursements(path=path)
    assert again.ok and (again.created, again.unchanged) == (0, 10)
    assert ImportBatch.objects.count() == 1 and Disbursement.all_objects.count() == 10


def test_a_dry_run_stages_and_discards(register, tmp_path, small_chunks):
    out = import_disbursements(path=payments(tmp_path, 10), dry_run=True)
    assert out.ok and out.created == 10 and out.batch_id is None
    assert Disbursement.all_objects.count() == 0 and not ImportBatch.objects.exists()


def _staging_batch(owner: str) -> ImportBatch:
    """What a killed import leaves: a staging batch and some of its rows."""
    batch = ImportBatch.objects.create(kind="disbursements", file_name="kb.csv", file_hash="h", state="staging",
                                       owner=owner)
    writer = bulk.BulkWriter(batch.pk)
    p1 = Project.objects.get(code="7810657")
    writer.put([(p1.pk, "2020-03-15", 1_000_000, "KB000001", 2020, 1)], short=True)  # the file's first payment
    return batch


def test_a_killed_import_is_invisible_and_the_next_import_discards_it(register, tmp_path):
    _staging_batch("elsewhere:1")  # another host: only its age tells
    assert actions.discard_abandoned_batches() == 0  # written just now: alive
    ImportBatch.objects.update(updated_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))  # silent for long: abandoned
    assert visible(register) == 0 and Disbursement.objects.count() == 0
    out = import_disbursements(path=payments(tmp_path, 3))
    assert out.ok and out.created == 3  # its row KB000001 was not taken as already known
    assert list(ImportBatch.objects.values_list("state", flat=True)) == ["published"]
    assert visible(register) == 6_000_000


def test_a_staging_batch_of_a_dead_process_on_this_host_is_discarded_at_once(register):
    import socket

    _staging_batch(f"{socket.gethostname()}:999999999")
    assert actions.discard_abandoned_batches() == 1
    assert Disbursement.all_objects.count() == 0 and not ImportBatch.objects.exists()


def test_a_second_file_while_one_is_being_imported_is_refused(register, tmp_path):
    import os
    import socket

    live = _staging_batch(f"{socket.gethostname()}:{os.getpid()}")
    out = import_disbursements(path=payments(tmp_path, 3))
    assert not out.ok and out.created == 0
    assert "Một tệp cùng loại đang được nhập" in out.errors[0].message
    assert list(ImportBatch.objects.values_list("pk", flat=True)) == [live.pk]
    assert Disbursement.all_objects.count() == 1  # the live import's row, untouched
