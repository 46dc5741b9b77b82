from django.contrib import admin

from dondoc.core.admin import AuditedAdmin

from .models import PetitionCategory

# Petitions themselves are not in Django's admin: their personal data is shown only through the
# permission-checked, logged views of the app.


@admin.register(PetitionCategory)
class PetitionCategoryAdmin(AuditedAdmin):
    list_display = ["code", "name", "answer_days", "due_soon_days", "position"]
