from .permissions import active_organisation as _active_organisation
from .permissions import organisations_for


def active_organisation(request):
    """The organisation the signed-in user acts for, and the others they can switch to."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {
        "active_organisation": _active_organisation(request),
        "my_organisations": organisations_for(request.user).order_by("name"),
    }
