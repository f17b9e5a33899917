"""Helpers the office views share."""


def form_data(request):
    """The POST data, even when empty (an empty POST still binds the form: all boxes unticked)."""
    return request.POST if request.method == "POST" else None


def form_files(request):
    return request.FILES if request.method == "POST" else None
