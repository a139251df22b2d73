import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import CLINIC_ADMIN, FRONT_DESK, OT_ASSISTANT, STUDENT, THERAPIST
from patients.models import Patient
from patients.services import register_patient


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    role = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, create, extracted))


def _join(user, create, role):
    if create:
        if role:
            user.groups.add(Group.objects.get(name=role))
        user.save()


def _role(default):
    return factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, create, extracted or default)
    )


class FrontDeskFactory(UserFactory):
    role = _role(FRONT_DESK)


class TherapistFactory(UserFactory):
    credentials = "OTR/L"
    role = _role(THERAPIST)


class AssistantFactory(UserFactory):
    credentials = "COTA/L"
    role = _role(OT_ASSISTANT)


class StudentFactory(UserFactory):
    credentials = "OTS"
    role = _role(STUDENT)


class ClinicAdminFactory(UserFactory):
    is_staff = True
    role = _role(CLINIC_ADMIN)


class PatientFactory(factory.django.DjangoModelFactory):
    """Patients are made through the registration service, as in real life."""

    class Meta:
        model = Patient

    given_name = factory.Faker("first_name")
    family_name = factory.Faker("last_name")
    date_of_birth = factory.Faker("date_of_birth", minimum_age=18, maximum_age=95)
    sex = "female"
    registered_by = factory.SubFactory(FrontDeskFactory)

    @classmethod
    def _create(cls, model_class, *args, registered_by, **kwargs):
        return register_patient(by=registered_by, confirmed_not_duplicate=True, **kwargs)


class EvaluationFactory(factory.django.DjangoModelFactory):
    """A draft started through the service, as a therapist would."""

    class Meta:
        model = "evaluations.Evaluation"

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(TherapistFactory)
    kind = "initial"
    date_of_service = factory.LazyFunction(timezone.localdate)

    @classmethod
    def _create(cls, model_class, *args, therapist, **kwargs):
        from evaluations.services import start_evaluation

        return start_evaluation(by=therapist, **kwargs)
