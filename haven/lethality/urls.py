app_name = "lethality"
urlpatterns = []
