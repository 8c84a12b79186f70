app_name = "followup"
urlpatterns = []
