"""Reader-facing names of the ledger's choices, translatable (the models' labels are not)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from claims.models import ClaimKind, ConflictKind, ConflictStatus, SetAside, Stance, Verdict
from sources.models import Language, SourceKind

VERDICTS = {
    Verdict.NONE: _("No verdict yet"),
    Verdict.TRUE: pgettext_lazy("verdict", "True"),
    Verdict.MOSTLY_TRUE: _("Mostly true"),
    Verdict.MIXED: _("Mixed"),
    Verdict.MOSTLY_FALSE: _("Mostly false"),
    Verdict.FALSE: pgettext_lazy("verdict", "False"),
    Verdict.UNPROVEN: _("Unproven"),
}

STANCES = {
    Stance.SUPPORTS: _("Supports"),
    Stance.CONTRADICTS: _("Contradicts"),
    Stance.QUALIFIES: _("Qualifies"),
    Stance.MENTIONS: _("Mentions"),
}

SET_ASIDE = {
    SetAside.OUTLIER: _("an outlier"),
    SetAside.OTHER_MEASURE: _("measures something else"),
}

CONFLICT_STATUSES = {
    ConflictStatus.OPEN: _("Open"),
    ConflictStatus.CONFIRMED: _("Confirmed"),
    ConflictStatus.DISMISSED: _("Dismissed"),
    ConflictStatus.RESOLVED: _("Resolved"),
}

CONFLICT_KINDS = {
    ConflictKind.VALUE: _("Values do not overlap"),
    ConflictKind.STANCE: _("Opposite stances"),
    ConflictKind.DATE: _("Incompatible dates"),
    ConflictKind.OTHER: _("Marked by a reviewer"),
}

CLAIM_KINDS = {
    ClaimKind.QUANTITY: _("Quantity"),
    ClaimKind.YES_NO: _("Yes / no"),
    ClaimKind.DATE: _("Date"),
    ClaimKind.TEXT: _("Free text"),
}

LANGUAGES = {
    Language.ZH_HANS: _("Chinese (simplified)"),
    Language.ZH_HANT: _("Chinese (traditional)"),
    Language.EN: _("English"),
}

SOURCE_KINDS = {
    SourceKind.NEWS: _("News article"),
    SourceKind.BLOG: _("Blog post"),
    SourceKind.COURT_FILING: _("Court filing"),
    SourceKind.EMAIL: _("Email"),
    SourceKind.SOCIAL_POST: _("Social media post"),
}
