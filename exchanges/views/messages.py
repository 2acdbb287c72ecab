"""The message thread on the application and exchange pages: what the pages show of it, and
writing a message (the views themselves live with their pages)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from matchmaking.forms import SUBMITTED_TWICE, apply_validation_error, create_once
from matchmaking.permissions import active_organisation

from .. import permissions, selectors, services
from ..forms import MessageForm
from ..models import Message


def thread_context(request, application, *, thread=None):
    """The thread's part of a page's context: its messages (loaded unless given), how many
    are new to the reader, the form, or why no message can be written any more."""
    if thread is None:
        thread = selectors.thread_for(application, request.user)
    return {
        "thread": thread,
        "thread_unread": sum(message.is_new for message in thread),
        # The reader's own side's messages are set apart from the other side's.
        "own_side": permissions.own_side_of_application(
            request.user, application, prefer=active_organisation(request)
        ),
        "messages_refusal": application.messages_refusal,
        "message_form": MessageForm(),
    }


def post_message(request, application, form, *, page, invalid):
    """Write the form's message on ``application``'s thread and go back to ``page``'s thread;
    ``invalid()`` is the page again with the form's errors."""
    back = page.get_absolute_url() + "#messages"
    if not form.is_valid():
        return invalid()
    organisation = permissions.own_side_of_application(
        request.user, application, prefer=active_organisation(request)
    )
    try:
        _message, created = create_once(
            form,
            user=request.user,
            create=lambda: services.message_post(
                application=application,
                organisation=organisation,
                acting_user=request.user,
                body=form.cleaned_data["body"],
            ),
            earlier=Message.objects.filter(thread__application=application, author=request.user),
        )
    except ValidationError as error:
        if not hasattr(error, "error_dict"):  # closed or suspended: nothing to fix in the form
            messages.error(request, " ".join(error.messages))
            return redirect(back)
        apply_validation_error(form, error)
        return invalid()
    if created:
        messages.success(
            request, _("Your message is sent. The other side's coordinators get it by email.")
        )
    else:
        messages.info(request, SUBMITTED_TWICE)
    return redirect(back)
