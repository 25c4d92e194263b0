"""Signed protocol PDFs and public verification: meetings/<id>/pdf/, signing, verify/."""

from django.urls import path

from documents import views

app_name = "documents"

urlpatterns = [
    path("meetings/<int:pk>/pdf/", views.protocol_pdf, name="protocol-pdf"),
    path("meetings/<int:pk>/pdf/certified/", views.protocol_certified_copy_view, name="protocol-certified-copy"),
    path("meetings/<int:pk>/sign/", views.protocol_sign_view, name="protocol-sign"),
    path("meetings/<int:pk>/sign/prepare/", views.protocol_sign_prepare_view, name="protocol-sign-prepare"),
    path("meetings/<int:pk>/sign/finish/", views.protocol_sign_finish_view, name="protocol-sign-finish"),
    path("meetings/<int:pk>/sign/demo-certificate/", views.demo_certificate_view, name="demo-certificate"),
    path("meetings/<int:pk>/correct/", views.protocol_correction_view, name="protocol-correction"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:key>/", views.verify_document, name="verify-document"),
]
