"""Uploaded documents: what may be uploaded, and how downloads are served."""

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from .models import Resource


def download(request, slug):
    resource = get_object_or_404(Resource.objects.published(), slug=slug)
    if not resource.file:
        raise Http404("This resource has no file to download.")
    return FileResponse(resource.file.open("rb"), as_attachment=True)
