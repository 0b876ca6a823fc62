"""``candidate_add_and_submit``: a candidate added and submitted all at once, and once per form token."""

import threading
import time
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction

from engagements.models import Candidate, Requisition, Submission
from engagements.services import candidate_add_and_submit


def _submit(world, token, **overrides):
    return candidate_add_and_submit(
        **{
            "actor": world.recruiter,
            "requisition": world.requisition,
            "form_token": token,
            "full_name": "Grace Hopper",
            "summary": "Invented the compiler.",
            **overrides,
        }
    )


def test_the_same_token_twice_answers_the_first_submission_and_adds_nothing(world):
    token = uuid.uuid4()
    first, first_created = _submit(world, token)
    again, again_created = _submit(world, token, full_name="Grace B. Hopper")
    assert (first_created, again_created) == (True, False)
    assert again == first
    assert again.candidate.full_name == "Grace Hopper"
    assert Candidate.objects.count() == 1
    assert Submission.objects.get().form_token == token


def test_a_refused_submission_leaves_no_candidate_and_its_token_unused(world):
    world.requisition.status = Requisition.Status.ON_HOLD
    world.requisition.save()
    token = uuid.uuid4()
    with pytest.raises(ValidationError):
        _submit(world, token)
    assert not Candidate.objects.exists()

    world.requisition.status = Requisition.Status.OPEN
    world.requisition.save()
    assert _submit(world, token)[1] is True


def test_a_token_used_on_one_requisition_adds_nothing_to_another(world):
    token = uuid.uuid4()
    _submit(world, token)
    with pytest.raises(ValidationError, match="another requisition"):
        _submit(world, token, requisition=world.other_requisition, full_name="Ada Lovelace")
    assert not Candidate.objects.filter(full_name="Ada Lovelace").exists()


def test_who_may_not_submit_learns_nothing_from_a_token(world):
    token = uuid.uuid4()
    _submit(world, token)
    with pytest.raises(PermissionDenied):
        _submit(world, token, actor=world.hiring_manager)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_second_of_two_at_once_waits_for_the_first_and_rolls_its_candidate_back(world):
    # The first holds its transaction open; the second has already looked for the token (not there
    # yet), so only the unique column can stop it: it waits on the first's row, then gives way.
    token = uuid.uuid4()
    first_in = threading.Event()
    outcomes: dict[str, tuple[int, bool]] = {}
    failures: list[BaseException] = []

    def first():
        try:
            with transaction.atomic():
                submission, created = _submit(world, token)
                first_in.set()
                time.sleep(1)  # the second reaches the insert meanwhile and waits on this row
            outcomes["first"] = (submission.pk, created)
        except BaseException as error:
            failures.append(error)
            first_in.set()
        finally:
            connection.close()

    def second():
        try:
            first_in.wait(timeout=10)
            submission, created = _submit(world, token, full_name="Grace Hopper (again)")
            outcomes["second"] = (submission.pk, created)
        except BaseException as error:
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    submission = Submission.objects.get()
    assert outcomes == {"first": (submission.pk, True), "second": (submission.pk, False)}
    assert list(Candidate.objects.values_list("full_name", flat=True)) == ["Grace Hopper"]
