"""What the domain says when it refuses something: an English message with its values
apart, so that the apps can say it in the reviewer's language.

The domain imports no Django. `gettext_noop` only marks a message for `makemessages`,
which extracts the calls of that name; the apps translate `template` and fill in `params`
(ledger.refusals.said).
"""


def gettext_noop(message: str) -> str:
    return message


class Refusal(ValueError):
    """A refusal naming the field at fault, if any; str() and `message` are the English."""

    def __init__(self, field: str, template: str, **params):
        self.field = field
        self.template = template
        self.params = params
        self.message = template % params if params else template
        super().__init__(self.message)
