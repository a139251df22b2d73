import pytest

from accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", "root@example.com", "a long root password")


def test_clinic_admin_cannot_change_a_superuser_or_their_password(page_client, clinic_admin, superuser):
    client = page_client(clinic_admin)

    assert (
        client.get("/admin/accounts/user/")
        .content.decode()
        .count(f"/admin/accounts/user/{superuser.pk}/change/")
        == 0
    )
    refused = client.post(
        f"/admin/accounts/user/{superuser.pk}/password/",
        {"password1": "Hijacked-by-clinicadmin-1", "password2": "Hijacked-by-clinicadmin-1"},
    )

    assert refused.status_code == 404  # superusers are outside what a clinic admin can see
    superuser.refresh_from_db()
    assert superuser.check_password("a long root password")


def test_clinic_admin_manages_other_users_through_roles(page_client, clinic_admin, front_desk):
    content = page_client(clinic_admin).get(f"/admin/accounts/user/{front_desk.pk}/change/").content.decode()
    assert 'name="groups"' in content
    assert 'name="is_superuser"' not in content
    assert 'name="user_permissions"' not in content
