"""The site's URLs plus a hello-world view: the framework floor the benchmark compares pages with."""

from django.http import HttpResponse
from django.urls import include, path


def hello(request):
    return HttpResponse("hello, world")


urlpatterns = [path("__bench_hello__/", hello), path("", include("tracker.urls"))]
