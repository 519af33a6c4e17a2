from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = _("Claims")

    def ready(self):
        from claims import services
        from sources.services import source_changed

        source_changed.connect(services.source_changed, dispatch_uid="claims-source-changed")
