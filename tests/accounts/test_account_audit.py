"""Account and permission changes made in the admin are audited: the admin as actor, the account as record."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User
from accounts.roles import FRONT_DESK, THERAPIST
from audit.choices import Action, Channel
from audit.models import AuditEvent


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "a long root password")


def change_form_data(client, user, **changes) -> dict:
    """What the admin's change form posts back unchanged, with `changes` applied."""
    form = client.get(f"/admin/accounts/user/{user.pk}/change/").context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = {**{n: form[n].value() for n in form.fields}, **changes}[name]
        if field.disabled or value is None or value is False:
            continue
        if isinstance(value, datetime.datetime):
            data[f"{name}_0"], data[f"{name}_1"] = value.date().isoformat(), value.time().isoformat()
        else:
            data[name] = "on" if value is True else value
    return data


def events_for(user, **filters):
    return AuditEvent.objects.filter(record_type="accounts.user", record_id=user.public_id, **filters)


def test_creating_a_user_is_audited(page_client, clinic_admin):
    response = page_client(clinic_admin).post(
        "/admin/accounts/user/add/",
        {
            "username": "newot",
            "usable_password": "true",
            "password1": "A long enough password 1",
            "password2": "A long enough password 1",
        },
    )

    assert response.status_code == 302
    created = User.objects.get(username="newot")
    event = events_for(created).get()
    assert (event.action, event.actor, event.channel) == (Action.CREATE, clinic_admin, Channel.ADMIN)


def test_deactivating_and_reactivating_are_audited(page_client, clinic_admin, front_desk):
    client = page_client(clinic_admin)

    client.post(
        f"/admin/accounts/user/{front_desk.pk}/change/", change_form_data(client, front_desk, is_active=False)
    )
    client.post(
        f"/admin/accounts/user/{front_desk.pk}/change/", change_form_data(client, front_desk, is_active=True)
    )

    assert list(events_for(front_desk).order_by("id").values_list("action", "actor")) == [
        (Action.DEACTIVATE, clinic_admin.pk),
        (Action.REACTIVATE, clinic_admin.pk),
    ]


def test_a_name_change_is_an_update_naming_the_field(page_client, clinic_admin, front_desk):
    client = page_client(clinic_admin)

    client.post(
        f"/admin/accounts/user/{front_desk.pk}/change/",
        change_form_data(client, front_desk, last_name="Renamed"),
    )

    event = events_for(front_desk).get()
    assert (event.action, event.changed_fields) == (Action.UPDATE, ["last_name"])


def test_group_membership_changes_are_audited(page_client, clinic_admin, front_desk):
    client = page_client(clinic_admin)
    therapist_group = Group.objects.get(name=THERAPIST)

    response = client.post(
        f"/admin/accounts/user/{front_desk.pk}/change/",
        change_form_data(client, front_desk, groups=[therapist_group.pk]),
    )

    assert response.status_code == 302
    event = events_for(front_desk).get()
    assert (event.action, event.actor) == (Action.ACCESS_CHANGED, clinic_admin)
    assert event.changed_fields == [f"+group:{THERAPIST}", f"-group:{FRONT_DESK}"]


def test_user_permission_changes_are_audited(page_client, superuser, front_desk):
    client = page_client(superuser)
    permission = Permission.objects.get(codename="view_clinical")

    client.post(
        f"/admin/accounts/user/{front_desk.pk}/change/",
        change_form_data(client, front_desk, user_permissions=[permission.pk]),
    )

    # (the split date-joined field drops microseconds, so the form also reports it changed)
    event = events_for(front_desk, action=Action.ACCESS_CHANGED).get()
    assert (event.actor, event.changed_fields) == (superuser, ["+permission:patients.view_clinical"])


def test_an_admin_setting_a_password_is_audited(page_client, clinic_admin, front_desk):
    response = page_client(clinic_admin).post(
        f"/admin/accounts/user/{front_desk.pk}/password/",
        {
            "usable_password": "true",
            "password1": "A brand new password 2",
            "password2": "A brand new password 2",
        },
    )

    assert response.status_code == 302
    event = events_for(front_desk).get()
    assert (event.action, event.actor, event.changed_fields) == (
        Action.PASSWORD_SET,
        clinic_admin,
        ["password"],
    )


def test_a_refused_password_change_writes_no_event(page_client, clinic_admin, front_desk):
    response = page_client(clinic_admin).post(
        f"/admin/accounts/user/{front_desk.pk}/password/",
        {"usable_password": "true", "password1": "A brand new password 2", "password2": "different"},
    )

    assert response.status_code == 200
    assert not events_for(front_desk).exists()


def test_revoking_a_token_in_the_admin_is_audited(page_client, clinic_admin, front_desk):
    from accounts.services import issue_api_token

    token, _raw = issue_api_token(user=front_desk)

    page_client(clinic_admin).post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}
    )

    event = AuditEvent.objects.get(action=Action.TOKEN_REVOKED)
    assert (event.actor, event.record_id) == (clinic_admin, token.public_id)
