from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """What was done to a record. Views and exports are recorded as well as writes."""

    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    ARCHIVE = "archive", _("Archive")
    RESTORE = "restore", _("Restore")
    VIEW = "view", _("View")
    SEARCH = "search", _("Search")
    EXPORT = "export", _("Export")
    SIGN = "sign", _("Sign")
    SIGN_FAILED = "sign_failed", _("Failed signature (wrong password)")
    ADDENDUM = "addendum", _("Addendum")
    DISCARD = "discard", _("Draft discarded")
    SEND = "send", _("Sent for certification")
    CERTIFY = "certify", _("Plan of care answered by the physician")
    LINK_REFUSED = "link_refused", _("Signing link refused (wrong, used or expired)")
    OVERDUE = "overdue", _("Overdue on the episode clock")
    LOGIN = "login", _("Log in")
    LOGOUT = "logout", _("Log out")
    LOGIN_FAILED = "login_failed", _("Failed log in")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    INTEGRITY_FAILED = "integrity_failed", _("Integrity check failed (signed content changed)")
    PASSWORD_CHANGED = "password_changed", _("Password changed by its owner")
    DENIED = "denied", _("Access denied")
    DEACTIVATE = "deactivate", _("Account deactivated")
    REACTIVATE = "reactivate", _("Account reactivated")
    PASSWORD_SET = "password_set", _("Password set by an admin")
    ACCESS_CHANGED = "access_changed", _("Groups or permissions changed")


class Channel(models.TextChoices):
    """Through which door the action came."""

    PAGE = "page", _("Web page")
    API = "api", _("API")
    FHIR = "fhir", _("FHIR API")
    INTEGRATION = "integration", _("Integration key")
    IMPORT = "import", _("Patient import")
    ADMIN = "admin", _("Admin")
    SYSTEM = "system", _("System (command or job)")
