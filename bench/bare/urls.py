from django.shortcuts import render
from django.urls import path


def page(request):
    return render(request, "bare.html", {"title": "A bare page"})


urlpatterns = [path("", page)]
