"""What the admin index shows a reviewer about their own work."""

from django import template

from claims.models import Claim

register = template.Library()


@register.simple_tag
def claims_assigned_to(user) -> int:
    return Claim.objects.assigned_to(user).count()
