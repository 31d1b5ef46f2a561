from django.conf import settings

from portal.core.kept_urls import kept_reverse

NAVIGATION = (
    ("Home", "portal:home"),
    ("How to set up a mutual", "guides:overview"),
    ("Resources", "guides:resource-list"),
    ("Case studies", "casestudies:case-study-list"),
    ("Contact", "enquiries:contact"),
)


def service(request):
    """The service's name, owner and branding, and the navigation, current section marked."""
    path = request.path
    items = []
    for text, url_name in NAVIGATION:
        href = kept_reverse(url_name)
        current = path == href
        active = current or (href != "/" and path.startswith(href))
        items.append({"text": text, "href": href, "current": current, "active": active})
    return {
        "service_name": settings.SERVICE_NAME,
        "service_owner": settings.SERVICE_OWNER_NAME,
        "service_owner_email": settings.SERVICE_OWNER_EMAIL,
        "data_controller": settings.DATA_CONTROLLER,
        "govuk_branding": settings.GOVUK_BRANDING,
        "navigation": items,
    }
